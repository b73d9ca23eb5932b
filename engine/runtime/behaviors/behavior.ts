import type { FlowNode } from '../../model/graph.js';
import type { Token } from '../operations.js';
import type { ProcessInstance } from '../process-instance.js';

/** What an outside trigger hands to a waiting activity. */
export interface SignalPayload {
  /** e.g. 'signal' (execution trigger), 'message', 'complete' */
  kind: string;
  variables?: Record<string, unknown>;
}

/**
 * One behaviour per BPMN element: `execute` when a token arrives; a behaviour
 * that does not leave is a wait state and gets `signal` later.
 */
export interface ActivityBehavior {
  execute(t: Token, node: FlowNode): void | Promise<void>;
  signal?(t: Token, node: FlowNode, payload: SignalPayload): void | Promise<void>;
  /** Call activities: the called instance completed. */
  subInstanceEnded?(t: Token, node: FlowNode, sub: ProcessInstance): Promise<void>;
  /** Joins re-activated after another token ended. */
  leaveJoin?(t: Token, node: FlowNode): void;
}
