/**
 * Jobs of a process instance: asynchronous continuations and timers. A job
 * is part of the instance document (so it goes when its execution goes) and
 * becomes a row the job executor acquires once the command commits.
 */
import type { FlowNode } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { evaluate } from './evaluation.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc, JobDoc } from './state.js';

/** Persisted job type names: never rename without a migration. */
export const JOB_TYPES = {
  asyncContinuation: 'async-continuation',
  timerTransition: 'timer-transition',
  timerBoundary: 'timer-boundary',
  timerStartEvent: 'timer-start-event',
  timerEventSubprocess: 'timer-event-subprocess',
  /** A timeout task listener is due (Camunda's TimerTaskListenerJobHandler type). */
  timerTaskListener: 'timer-task-listener',
  /** A pending connector call got no answer in time. */
  connectorDeadline: 'connector-deadline',
  /** A pending connector call failed: call again (job retries, then an incident). */
  connectorRetry: 'connector-retry',
} as const;

export const DEFAULT_RETRIES = 3;

export function jobPriority(ctx: CommandContext, inst: ProcessInstance, exec: ExecutionDoc, node: FlowNode): number {
  if (node.jobPriority === undefined) return 0;
  const v = Number(evaluate({ ctx, inst, exec }, node.jobPriority));
  return Number.isFinite(v) ? v : 0;
}

export function createJob(
  ctx: CommandContext,
  inst: ProcessInstance,
  exec: ExecutionDoc,
  node: FlowNode,
  type: string,
  config: Record<string, unknown>,
  due: Date | null = null,
  repeat: string | null = null,
): JobDoc {
  const job: JobDoc = {
    id: ctx.newId(),
    type,
    executionId: exec.id,
    activityId: node.id,
    dueDate: due === null ? null : due.getTime(),
    priority: jobPriority(ctx, inst, exec, node),
    exclusive: node.exclusive,
    retries: DEFAULT_RETRIES,
    config,
    repeat,
    createTime: ctx.time().getTime(),
  };
  inst.jobs.set(job.id, job);
  ctx.jobCreated(due);
  return job;
}

/**
 * Jobs, external tasks, subscriptions and incidents whose execution went
 * away go with it; those of a pruned execution move to the execution that
 * replaced it. An external task's incident goes with its task.
 */
export function reconcileExecutionRefs(inst: ProcessInstance): void {
  for (const map of [inst.jobs, inst.externalTasks, inst.subscriptions, inst.incidents, inst.pendingCalls] as Map<string, { executionId: string }>[]) {
    for (const [id, x] of map) {
      if (inst.executions.has(x.executionId)) continue;
      const to = inst.currentExecution(x.executionId);
      if (to === null) map.delete(id);
      else x.executionId = to.id;
    }
  }
  for (const [id, x] of inst.incidents) {
    if (x.type === 'failedExternalTask' && x.configuration !== null && !inst.externalTasks.has(x.configuration)) inst.incidents.delete(id);
  }
}
