import type { FlowNode } from '../../model/graph.js';
import { compensationSubscriptions, interruptTransaction, leaveTransaction, throwCompensation } from '../compensation.js';
import type { Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Cancel end event (Camunda's CancelEndEventActivityBehavior): the other
 * tokens of its transaction are cancelled, what completed in the transaction
 * is compensated, and then the transaction is left through its cancel
 * boundary event. The event is a scope activity: `t.exec` is its own
 * execution, the parent of the compensating ones.
 */
export class CancelEndEventBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const { ctx, inst, exec } = t;
    await interruptTransaction(ctx, inst, inst.execution(exec.parentId!), node);
    const subscriptions = compensationSubscriptions(inst, exec);
    if (subscriptions.length === 0) await leaveTransaction(ctx, inst, exec, node);
    else throwCompensation(ctx, inst, exec, subscriptions);
  }
}
