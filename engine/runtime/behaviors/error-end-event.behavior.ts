import { BpmnError } from '../../errors.js';
import type { FlowNode } from '../../model/graph.js';
import { propagateBpmnError } from '../error-propagation.js';
import { finishActivityInstance, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Error end event: the event completes, then its error propagates to the nearest catching boundary event. */
export class ErrorEndEventBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    if (node.type !== 'endEvent' || node.eventDefinition.kind !== 'error') return;
    const def = node.eventDefinition;
    finishActivityInstance(t.ctx, t.inst, t.exec, node, false, true);
    t.exec.activityInstanceId = null;
    await propagateBpmnError(t, node, new BpmnError(def.errorCode ?? def.errorRef ?? '', def.errorMessage));
  }
}
