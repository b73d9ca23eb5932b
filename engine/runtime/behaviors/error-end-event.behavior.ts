import { BpmnError } from '../../errors.js';
import type { FlowNode } from '../../model/graph.js';
import { isExpressionText } from '../../expressions/index.js';
import { propagateBpmnError } from '../error-propagation.js';
import { evaluateAsync } from '../evaluation.js';
import { finishActivityInstance, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Error end event: the event completes, then its error propagates to the nearest catching boundary event. */
export class ErrorEndEventBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    if (node.type !== 'endEvent' || node.eventDefinition.kind !== 'error') return;
    const def = node.eventDefinition;
    // camunda:errorMessage may be an expression, evaluated where the error is thrown (Camunda 7.12+)
    const message =
      def.errorMessage !== undefined && isExpressionText(def.errorMessage) ? await evaluateAsync(t, def.errorMessage) : def.errorMessage;
    finishActivityInstance(t.ctx, t.inst, t.exec, node, false, true);
    t.exec.activityInstanceId = null;
    await propagateBpmnError(t, node, new BpmnError(def.errorCode ?? def.errorRef ?? '', message === undefined || message === null ? undefined : String(message)));
  }
}
