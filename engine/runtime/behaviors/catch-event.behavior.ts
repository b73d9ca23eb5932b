import type { FlowNode } from '../../model/graph.js';
import { leave, type Token } from '../operations.js';
import { subscribe } from '../subscriptions.js';
import type { ActivityBehavior } from './behavior.js';

/** Intermediate message and signal catch events: subscribe, wait, leave when triggered. */
export class MessageSignalCatchBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    subscribe(t.ctx, t.inst, t.exec, node);
  }

  signal(t: Token, node: FlowNode): void {
    leave(t, node);
  }
}
