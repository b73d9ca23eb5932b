import { BadUserInputError, type BpmnError } from '../../errors.js';
import type { FlowNode, ServiceBody } from '../../model/graph.js';
import { serviceBodyOf } from '../../model/service-body.js';
import type { CommandContext } from '../command-context.js';
import { propagateBpmnError } from '../error-propagation.js';
import { evaluate, type Scope } from '../evaluation.js';
import { describe, leave, type Token } from '../operations.js';
import type { ProcessInstance } from '../process-instance.js';
import type { ExternalTaskDoc } from '../state.js';
import type { ActivityBehavior, SignalPayload } from './behavior.js';
import { behaviorFor } from './index.js';

/**
 * Service, send and business rule tasks, and message throw and end events,
 * with `camunda:type="external"`:
 * creates an external task on `camunda:topic` (an expression, evaluated now)
 * with priority `camunda:taskPriority` (default 0) and waits. A worker's
 * completion signals the activity and it leaves; a worker's BPMN error is
 * propagated from the activity (see ../../external-tasks/service.ts).
 */
export class ExternalTaskBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    const n = serviceBodyOf(node);
    if (n?.implementation.kind !== 'external') return;
    const { ctx, inst, exec } = t;
    const scope: Scope = { ctx, inst, exec };
    const topic = evaluate(scope, n.implementation.topic);
    if (topic === null || topic === undefined || String(topic) === '') {
      throw new BadUserInputError(`The topic of ${describe(node)} evaluated to nothing: '${n.implementation.topic}'`, 'camunda:topic');
    }
    const task: ExternalTaskDoc = {
      id: ctx.newId(),
      executionId: exec.id,
      activityId: node.id,
      activityInstanceId: exec.activityInstanceId!,
      topicName: String(topic),
      priority: taskPriority(scope, n, node),
      createTime: ctx.time().getTime(),
    };
    inst.externalTasks.set(task.id, task);
    ctx.externalTaskCreated(task.topicName);
  }

  signal(t: Token, node: FlowNode, _payload: SignalPayload): void {
    leave(t, node);
  }
}

function taskPriority(scope: Scope, n: ServiceBody, node: FlowNode): number {
  if (n.implementation.kind !== 'external' || n.implementation.taskPriority === undefined) return 0;
  const value = evaluate(scope, n.implementation.taskPriority);
  if (value === null || value === undefined || value === '') return 0;
  const priority = Number(value);
  if (!Number.isSafeInteger(priority)) throw new BadUserInputError(`The task priority of ${describe(node)} is not an integer: '${String(value)}'`, 'camunda:taskPriority');
  return priority;
}

/** Camunda's ExternalTaskEntity.complete: variables onto the execution (or locally), the task goes, the activity leaves. */
export async function completeExternalTask(
  ctx: CommandContext,
  inst: ProcessInstance,
  task: ExternalTaskDoc,
  variables: Record<string, unknown>,
  localVariables: Record<string, unknown>,
): Promise<void> {
  const exec = inst.execution(task.executionId);
  for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, exec, k, v);
  for (const [k, v] of Object.entries(localVariables)) ctx.setVariableLocal(inst, exec, k, v);
  inst.externalTasks.delete(task.id);
  const node = inst.graph.nodes.get(task.activityId)!;
  // Through the behaviour table, as a user task's completion: a multi-instance body sees its inner activity leave.
  await behaviorFor(node).signal!({ ctx, inst, exec }, node, { kind: 'complete' });
}

/** Camunda's ExternalTaskEntity.bpmnError: variables onto the execution, then the error propagates from the activity. */
export async function externalTaskBpmnError(ctx: CommandContext, inst: ProcessInstance, task: ExternalTaskDoc, error: BpmnError, variables: Record<string, unknown>): Promise<void> {
  const exec = inst.execution(task.executionId);
  for (const [k, v] of Object.entries(variables)) ctx.setVariable(inst, exec, k, v);
  inst.externalTasks.delete(task.id);
  const node = inst.graph.nodes.get(task.activityId)!;
  await propagateBpmnError({ ctx, inst, exec }, node, error);
}
