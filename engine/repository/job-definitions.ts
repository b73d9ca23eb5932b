/**
 * Camunda's job definitions: one per job an activity of a deployed process
 * can create (asynchronous continuations, timers). Camunda stores them at
 * deployment; here they are derived from the compiled graph, so their ids are
 * stable (`<definitionId>:<activityId>:<async-before|async-after|jobType>`)
 * and a job's is computed from the job itself (`jobDefinitionIdOf`). Only a
 * suspension state set on them is stored (cf_job_definition_state); without
 * one they follow their process definition.
 */
import type { FlowNode, ProcessGraph } from '../model/graph.js';
import type { ProcessDefinitionRow } from '../persistence/store.js';
import { JOB_TYPES } from '../runtime/jobs.js';

/** Camunda's job handler type names, as its job definitions report them. */
export const CAMUNDA_JOB_TYPES = {
  asyncContinuation: 'async-continuation',
  timerIntermediate: 'timer-intermediate-transition',
  timerBoundary: 'timer-transition',
  timerStartEvent: 'timer-start-event',
  timerEventSubprocess: 'timer-start-event-subprocess',
} as const;

export interface JobDefinition {
  id: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  /** The activity, `<id>#multiInstanceBody` for the body of a multi-instance activity. */
  activityId: string;
  jobType: string;
  /** `async-before`/`async-after`, or a timer's `DATE: …`, `DURATION: …`, `CYCLE: …`. */
  jobConfiguration: string;
  suspended: boolean;
  tenantId: string | null;
  deploymentId: string;
}

export interface JobDefinitionFilter {
  id?: string;
  activityIdIn?: string[];
  jobType?: string;
  jobConfiguration?: string;
  suspended?: boolean;
}

const TIMER_TYPE = { timeDate: 'DATE', timeDuration: 'DURATION', timeCycle: 'CYCLE' } as const;

function timerType(node: FlowNode): string | null {
  switch (node.type) {
    case 'startEvent': {
      if (node.eventDefinition.kind !== 'timer') return null;
      const parent = node.parentId;
      return parent === null ? CAMUNDA_JOB_TYPES.timerStartEvent : CAMUNDA_JOB_TYPES.timerEventSubprocess;
    }
    case 'intermediateCatchEvent':
      return node.eventDefinition.kind === 'timer' ? CAMUNDA_JOB_TYPES.timerIntermediate : null;
    case 'boundaryEvent':
      return node.eventDefinition.kind === 'timer' ? CAMUNDA_JOB_TYPES.timerBoundary : null;
    default:
      return null;
  }
}

/** An activity has at most one timer, but may continue asynchronously before and after. */
function jobDefinitionId(definitionId: string, activityId: string, jobType: string, asyncConfiguration: string | null): string {
  return `${definitionId}:${activityId}:${asyncConfiguration ?? jobType}`;
}

/**
 * The job definitions of a deployed process. `states`: the suspension states
 * recorded for some of them, by id; the others follow the process definition.
 */
export function jobDefinitionsOf(definition: ProcessDefinitionRow, graph: ProcessGraph, states: ReadonlyMap<string, boolean> = new Map()): JobDefinition[] {
  const out: JobDefinition[] = [];
  const add = (activityId: string, jobType: string, jobConfiguration: string) => {
    const id = jobDefinitionId(definition.id, activityId, jobType, jobType === CAMUNDA_JOB_TYPES.asyncContinuation ? jobConfiguration : null);
    out.push({
      id,
      processDefinitionId: definition.id,
      processDefinitionKey: definition.key,
      activityId,
      jobType,
      jobConfiguration,
      suspended: states.get(id) ?? definition.suspended,
      tenantId: definition.tenantId,
      deploymentId: definition.deploymentId,
    });
  };
  for (const node of graph.nodes.values()) {
    const mi = node.multiInstance;
    if (mi) {
      if (mi.asyncBefore) add(`${node.id}#multiInstanceBody`, CAMUNDA_JOB_TYPES.asyncContinuation, 'async-before');
      if (mi.asyncAfter) add(`${node.id}#multiInstanceBody`, CAMUNDA_JOB_TYPES.asyncContinuation, 'async-after');
    }
    if (node.asyncBefore) add(node.id, CAMUNDA_JOB_TYPES.asyncContinuation, 'async-before');
    if (node.asyncAfter) add(node.id, CAMUNDA_JOB_TYPES.asyncContinuation, 'async-after');
    const timer = timerType(node);
    if (timer && 'eventDefinition' in node && node.eventDefinition.kind === 'timer') {
      const t = node.eventDefinition.timer;
      add(node.id, timer, `${TIMER_TYPE[t.type]}: ${t.expression}`);
    }
  }
  return out;
}

/** Camunda's type names of the timer jobs, by the persisted type of this engine's (see runtime/jobs.ts). */
const TIMER_JOB_DEFINITION_TYPES: Readonly<Record<string, string>> = {
  [JOB_TYPES.timerTransition]: CAMUNDA_JOB_TYPES.timerIntermediate,
  [JOB_TYPES.timerBoundary]: CAMUNDA_JOB_TYPES.timerBoundary,
  [JOB_TYPES.timerStartEvent]: CAMUNDA_JOB_TYPES.timerStartEvent,
  [JOB_TYPES.timerEventSubprocess]: CAMUNDA_JOB_TYPES.timerEventSubprocess,
};

/**
 * The id of the job definition a job belongs to, by the same rule as
 * `jobDefinitionsOf`. `atMultiInstanceBody`: an asynchronous continuation of a
 * multi-instance activity's body rather than of one of its instances. Null for
 * jobs Camunda has no job definition for (timeout task listeners, connector
 * calls).
 */
export function jobDefinitionIdOf(
  definitionId: string,
  job: { type: string; activityId: string; config: Readonly<Record<string, unknown>> },
  atMultiInstanceBody: boolean,
): string | null {
  if (job.type === JOB_TYPES.asyncContinuation) {
    // An asyncAfter job takes the activity's outgoing flows; an asyncBefore one starts it.
    const configuration = job.config['op'] === 'take' ? 'async-after' : 'async-before';
    const activityId = atMultiInstanceBody ? `${job.activityId}#multiInstanceBody` : job.activityId;
    return jobDefinitionId(definitionId, activityId, CAMUNDA_JOB_TYPES.asyncContinuation, configuration);
  }
  const timer = TIMER_JOB_DEFINITION_TYPES[job.type];
  return timer === undefined ? null : jobDefinitionId(definitionId, job.activityId, timer, null);
}

export function matchesJobDefinition(d: JobDefinition, f: JobDefinitionFilter): boolean {
  return (
    (f.id === undefined || d.id === f.id) &&
    (f.activityIdIn === undefined || f.activityIdIn.includes(d.activityId)) &&
    (f.jobType === undefined || d.jobType === f.jobType) &&
    (f.jobConfiguration === undefined || d.jobConfiguration === f.jobConfiguration) &&
    (f.suspended === undefined || d.suspended === f.suspended)
  );
}
