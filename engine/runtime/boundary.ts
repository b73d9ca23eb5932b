/**
 * Boundary events: an interrupting one cancels its host activity and the
 * token continues from the boundary event; a non-interrupting one starts a
 * concurrent token from the boundary event and the host goes on.
 */
import type { BoundaryEventNode } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { cancelExecutionTree, createExecution, finishActivityInstance, scheduleStart, type Token } from './operations.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';

/**
 * A new concurrent token next to `token`. A sole token (the scope execution
 * itself) first hands its place to a concurrent child, as Camunda does when an
 * execution tree becomes concurrent.
 */
export function concurrentSibling(ctx: CommandContext, inst: ProcessInstance, token: ExecutionDoc): ExecutionDoc {
  if (token.concurrent) return createExecution(ctx, inst, { parentId: token.parentId, concurrent: true });
  const scope = token;
  const moved = createExecution(ctx, inst, {
    parentId: scope.id,
    concurrent: true,
    active: scope.active,
    activityId: scope.activityId,
    activityInstanceId: scope.activityInstanceId,
    parentActivityInstanceId: scope.parentActivityInstanceId,
  });
  if (scope.aiStart !== undefined) moved.aiStart = scope.aiStart;
  if (scope.calledInstanceId) {
    moved.calledInstanceId = scope.calledInstanceId;
    delete scope.calledInstanceId;
  }
  for (const c of inst.children(scope)) if (c !== moved) c.parentId = moved.id;
  for (const task of inst.tasks.values()) if (task.executionId === scope.id) task.executionId = moved.id;
  for (const job of inst.jobs.values()) if (job.executionId === scope.id) job.executionId = moved.id;
  for (const x of inst.externalTasks.values()) if (x.executionId === scope.id) x.executionId = moved.id;
  for (const x of inst.pendingCalls.values()) if (x.executionId === scope.id) x.executionId = moved.id;
  scope.activityId = null;
  scope.activityInstanceId = null;
  scope.parentActivityInstanceId = null;
  scope.active = false;
  return createExecution(ctx, inst, { parentId: scope.id, concurrent: true });
}

/**
 * Fires a boundary event of the host activity whose scope execution is
 * `hostScope` (the scope child created for the host).
 */
export async function triggerBoundary(ctx: CommandContext, inst: ProcessInstance, hostScope: ExecutionDoc, boundary: BoundaryEventNode, variables: Record<string, unknown> = {}): Promise<void> {
  const token = inst.execution(hostScope.parentId!);
  const host = inst.graph.nodes.get(boundary.attachedToRef)!;
  if (boundary.cancelActivity) {
    await cancelExecutionTree(ctx, inst, hostScope, `boundary event (${boundary.id})`, true);
    finishActivityInstance(ctx, inst, token, host, true);
    token.active = true;
    for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, token, k, v);
    scheduleStart({ ctx, inst, exec: token } satisfies Token, boundary);
    return;
  }
  const c = concurrentSibling(ctx, inst, token);
  for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, c, k, v);
  scheduleStart({ ctx, inst, exec: c }, boundary);
}
