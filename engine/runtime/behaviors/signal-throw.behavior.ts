import type { FlowNode } from '../../model/graph.js';
import { evaluate } from '../evaluation.js';
import { endActivity, leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Signal intermediate throw and end events. The signal reaches its catchers
 * once this command has committed, each catcher in a transaction of its own
 * (as Camunda's asynchronous signal throw, `camunda:async="true"`).
 */
export class SignalThrowBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void | Promise<void> {
    if ('eventDefinition' in node && node.eventDefinition.kind === 'signal' && node.eventDefinition.signalName !== undefined) {
      const name = String(evaluate({ ctx: t.ctx, inst: t.inst, exec: t.exec }, node.eventDefinition.signalName));
      t.ctx.thrownSignals.push({ name, tenantId: t.inst.tenantId });
    }
    if (node.type === 'endEvent') return endActivity(t, node, []);
    leave(t, node);
  }
}
