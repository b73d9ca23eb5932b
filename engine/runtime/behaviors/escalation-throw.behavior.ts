import type { FlowNode } from '../../model/graph.js';
import { propagateEscalation } from '../escalation.js';
import { endActivity, leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Escalation intermediate throw and end events. */
export class EscalationThrowBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    if (!('eventDefinition' in node) || node.eventDefinition.kind !== 'escalation') return;
    const code = node.eventDefinition.escalationCode ?? node.eventDefinition.escalationRef ?? '';
    const interrupted = await propagateEscalation(t.ctx, t.inst, t.exec, code);
    if (interrupted && !t.inst.executions.has(t.exec.id)) return;
    if (interrupted && t.exec.activityId !== node.id) return;
    if (node.type === 'endEvent') await endActivity(t, node, []);
    else leave(t, node);
  }
}
