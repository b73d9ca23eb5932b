/**
 * Job handlers, keyed by the persisted job type name. Each runs inside the
 * command that executes the job; what it schedules runs on the agenda.
 */
import type { PendingTimeout } from '../../connectors/contract.js';
import { EngineError } from '../../errors.js';
import type { ProcessDefinitionRow, JobRow } from '../../persistence/store.js';
import { jobDefinitionIdOf } from '../../repository/job-definitions.js';
import { triggerBoundary } from '../../runtime/boundary.js';
import { behaviorFor } from '../../runtime/behaviors/index.js';
import type { CommandContext } from '../../runtime/command-context.js';
import { JOB_TYPES, createJob } from '../../runtime/jobs.js';
import { fireTaskListeners } from '../../runtime/evaluation.js';
import { describe, startActivity, takeFlows } from '../../runtime/operations.js';
import type { ProcessInstance } from '../../runtime/process-instance.js';
import type { DeployedProcess } from '../../runtime/services.js';
import type { JobDoc } from '../../runtime/state.js';
import { createInstance, startInstance } from '../../runtime/start.js';
import { nextCycle } from '../timer.js';

function missing(job: JobDoc, what: string): EngineError {
  return new EngineError('INTERNAL', `Job '${job.id}' (${job.type}) cannot run: ${what}`);
}

export async function executeJobHandler(ctx: CommandContext, inst: ProcessInstance, job: JobDoc): Promise<void> {
  const exec = inst.executions.get(job.executionId);
  if (!exec) throw missing(job, `its execution '${job.executionId}' no longer exists`);
  const node = inst.graph.nodes.get(job.activityId);
  if (!node) throw missing(job, `activity '${job.activityId}' is not in the process`);
  const t = { ctx, inst, exec };
  switch (job.type) {
    case JOB_TYPES.asyncContinuation: {
      if (job.config['op'] === 'take') {
        const flows = ((job.config['flows'] as string[] | undefined) ?? []).map((id) => inst.graph.flows.get(id)!);
        takeFlows(t, node, flows);
      } else ctx.push('activity-start', () => startActivity(t, node, true));
      return;
    }
    case JOB_TYPES.timerTransition: {
      const gatewayId = job.config['eventBasedGateway'];
      if (typeof gatewayId === 'string') {
        const { EventBasedGatewayBehavior } = await import('../../runtime/behaviors/event-based-gateway.behavior.js');
        await EventBasedGatewayBehavior.fire(t, inst.graph.nodes.get(gatewayId)!, node);
        return;
      }
      const b = behaviorFor(node);
      if (!b.signal) throw missing(job, `activity '${node.id}' cannot be triggered`);
      await b.signal(t, node, { kind: 'timer' });
      return;
    }
    case JOB_TYPES.timerBoundary: {
      const boundary = inst.graph.nodes.get(String(job.config['boundaryId']));
      if (!boundary || boundary.type !== 'boundaryEvent') throw missing(job, 'its boundary event is not in the process');
      // A cycle on a non-interrupting timer fires again while its activity lives.
      if (!boundary.cancelActivity && job.repeat) {
        const next = nextCycle(job.repeat, ctx.time());
        const again = createJob(ctx, inst, exec, boundary, job.type, job.config, next.due, next.repeat);
        again.priority = job.priority;
      }
      await triggerBoundary(ctx, inst, exec, boundary);
      return;
    }
    case JOB_TYPES.timerEventSubprocess: {
      if (node.type !== 'startEvent') throw missing(job, `'${node.id}' is not a start event`);
      if (!node.isInterrupting && job.repeat) {
        const next = nextCycle(job.repeat, ctx.time());
        createJob(ctx, inst, exec, node, job.type, job.config, next.due, next.repeat);
      }
      const { triggerEventSubprocess } = await import('../../runtime/event-subprocess.js');
      await triggerEventSubprocess(ctx, inst, exec, node);
      return;
    }
    case JOB_TYPES.timerTaskListener: {
      const task = inst.tasks.get(String(job.config['taskId']));
      // the task ended after the job was acquired: nothing is left to time out
      if (!task || node.type !== 'userTask') return;
      const listener = node.taskListeners.find((l) => l.event === 'timeout' && (l.id ?? null) === job.config['listenerId']);
      if (!listener) throw missing(job, `userTask '${node.id}' has no timeout task listener '${String(job.config['listenerId'])}'`);
      if (job.repeat) {
        const next = nextCycle(job.repeat, ctx.time());
        createJob(ctx, inst, exec, node, job.type, job.config, next.due, next.repeat).priority = job.priority;
      }
      await fireTaskListeners({ ...t, task }, [listener], 'timeout', describe(node));
      return;
    }
    case JOB_TYPES.connectorDeadline: {
      const { pendingDeadline } = await import('../../runtime/behaviors/connector-task.behavior.js');
      await pendingDeadline(t, node, String(job.config['nonce']), job.config['onTimeout'] as PendingTimeout);
      return;
    }
    case JOB_TYPES.connectorRetry: {
      const { invokeConnector } = await import('../../runtime/behaviors/connector-task.behavior.js');
      await invokeConnector(t, node, String(job.config['idempotencyKey']));
      return;
    }
    default:
      throw missing(job, `unknown job type '${job.type}'`);
  }
}

/** Jobs that belong to a definition rather than an instance: timer start events. */
export async function executeDefinitionJob(ctx: CommandContext, row: JobRow, deployed: (definitionId: string) => Promise<DeployedProcess>): Promise<void> {
  if (row.type !== JOB_TYPES.timerStartEvent || !row.definitionId || !row.activityId) {
    throw new EngineError('INTERNAL', `Job '${row.id}' of type '${row.type}' has no process instance and cannot run`);
  }
  const d = await deployed(row.definitionId);
  if (row.repeat) {
    const next = nextCycle(row.repeat, ctx.time());
    ctx.extra.push({ table: 'job', op: 'insert', row: timerStartJobRow(ctx.newId(), d.definition, row.activityId, next.due, next.repeat, ctx.time()) });
    ctx.jobCreated(next.due);
  }
  const inst = createInstance(ctx, d, {});
  await startInstance(ctx, inst, {}, { startBefore: [row.activityId] });
}

export function timerStartJobRow(id: string, def: ProcessDefinitionRow, activityId: string, due: Date, repeat: string | null, now: Date): JobRow {
  return {
    id,
    type: JOB_TYPES.timerStartEvent,
    instanceId: null,
    executionId: null,
    rootInstanceId: null,
    definitionId: def.id,
    definitionKey: def.key,
    activityId,
    jobDefinitionId: jobDefinitionIdOf(def.id, { type: JOB_TYPES.timerStartEvent, activityId, config: {} }, false),
    dueDate: due,
    retries: 3,
    lockOwner: null,
    lockExpiration: null,
    exceptionMessage: null,
    exceptionDetails: null,
    priority: 0,
    exclusive: true,
    suspended: def.suspended,
    handlerConfig: '{}',
    repeat,
    tenantId: def.tenantId,
    createTime: now,
  };
}

/** What an operator sees of a failure: messages of the error and its causes, never a stack trace. */
export function failureDetails(error: unknown): string {
  const parts: string[] = [];
  let cur: unknown = error;
  for (let depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof Error) {
      parts.push(`${cur.name}: ${cur.message}`);
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join('\ncaused by ');
}
