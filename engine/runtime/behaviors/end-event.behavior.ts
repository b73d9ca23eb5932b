import type { FlowNode } from '../../model/graph.js';
import { fireExecutionListeners } from '../evaluation.js';
import { cancelExecutionTree, completeScope, describe, endActivity, finishActivityInstance, flowScope, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** None end event: the token ends; the scope completes when it was the last one. */
export class NoneEndEventBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): Promise<void> {
    return endActivity(t, node, []);
  }
}

/**
 * Terminate end event: every other token of the enclosing scope is cancelled
 * and the scope completes — the process instance, or the subprocess whose
 * parent then goes on. As in Camunda, the cancelled activities end first (their
 * end listeners see isCanceled()), then the terminate end event itself ends
 * normally on the scope execution (its end listeners run) and completes the scope.
 */
export class TerminateEndEventBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const { ctx, inst, exec } = t;
    const scope = flowScope(inst, exec);
    const ai = exec.activityInstanceId;
    const aiStart = exec.aiStart;
    // The terminate end event's own activity instance is not cancelled.
    exec.activityInstanceId = null;
    await cancelExecutionTree(ctx, inst, scope, `terminate end event (${node.id})`, false, new Set(), 'INTERNALLY_TERMINATED');
    for (const c of inst.children(scope)) inst.executions.delete(c.id);
    scope.activityId = node.id;
    scope.activityInstanceId = ai;
    if (aiStart) scope.aiStart = aiStart;
    scope.active = true;
    if (node.listeners.length) await fireExecutionListeners({ ctx, inst, exec: scope }, node.listeners, 'end', describe(node));
    finishActivityInstance(ctx, inst, scope, node, false);
    await completeScope({ ctx, inst, exec: scope });
  }
}
