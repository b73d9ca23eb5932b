import type { FlowNode } from '../../model/graph.js';
import { cancelExecutionTree, completeScope, endActivity, finishActivityInstance, flowScope, type Token } from '../operations.js';
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
 * parent then goes on.
 */
export class TerminateEndEventBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const { ctx, inst, exec } = t;
    const scope = flowScope(inst, exec);
    finishActivityInstance(ctx, inst, exec, node, false);
    exec.activityInstanceId = null;
    await cancelExecutionTree(ctx, inst, scope, `terminate end event (${node.id})`, false);
    for (const c of inst.children(scope)) inst.executions.delete(c.id);
    scope.activityId = node.id;
    scope.active = true;
    await completeScope({ ctx, inst, exec: scope });
  }
}
