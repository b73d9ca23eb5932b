import type { FlowNode } from '../../model/graph.js';
import { leave, type Token } from '../operations.js';
import { subscribe } from '../subscriptions.js';
import type { ActivityBehavior, SignalPayload } from './behavior.js';

/** Receive task: waits for its message (when it has one) or for the execution to be signalled. */
export class ReceiveTaskBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    if (node.type === 'receiveTask' && node.messageName !== undefined) subscribe(t.ctx, t.inst, t.exec, node);
  }

  signal(t: Token, node: FlowNode, payload: SignalPayload): void {
    if (payload.variables) for (const [k, v] of Object.entries(payload.variables)) t.ctx.setVariable(t.inst, t.exec, k, v);
    // A trigger by API also ends the message wait.
    for (const [id, s] of t.inst.subscriptions) if (s.executionId === t.exec.id && s.activityId === node.id) t.inst.subscriptions.delete(id);
    leave(t, node);
  }
}
