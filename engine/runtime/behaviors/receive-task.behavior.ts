import type { FlowNode } from '../../model/graph.js';
import { leave, type Token } from '../operations.js';
import type { ActivityBehavior, SignalPayload } from './behavior.js';

/** Receive task: a wait state left when the execution is signalled or its message is correlated. */
export class ReceiveTaskBehavior implements ActivityBehavior {
  execute(): void {
    // wait
  }

  signal(t: Token, node: FlowNode, payload: SignalPayload): void {
    if (payload.variables) for (const [k, v] of Object.entries(payload.variables)) t.ctx.setVariable(t.inst, t.exec, k, v);
    leave(t, node);
  }
}
