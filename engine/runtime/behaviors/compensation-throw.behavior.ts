import type { FlowNode } from '../../model/graph.js';
import { compensationSubscriptions, throwCompensation } from '../compensation.js';
import { leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Compensation intermediate throw and end events (Camunda's
 * CompensationEventActivityBehavior): compensate the scope, or the
 * `activityRef` activity, and leave once every handler completed — at once
 * when nothing completed that could be compensated. The event is a scope
 * activity: `t.exec` is its own execution, the parent of the compensating ones.
 */
export class CompensationThrowBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    if (!('eventDefinition' in node) || node.eventDefinition.kind !== 'compensate') return;
    const subscriptions = compensationSubscriptions(t.inst, t.exec, node.eventDefinition.activityRef);
    if (subscriptions.length === 0) leave(t, node);
    else throwCompensation(t.ctx, t.inst, t.exec, subscriptions);
  }
}
