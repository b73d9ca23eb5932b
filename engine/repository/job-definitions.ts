/**
 * Camunda's job definitions: one per job an activity of a deployed process
 * can create (asynchronous continuations, timers). Camunda stores them at
 * deployment; here they are derived from the compiled graph, so their ids are
 * stable (`<definitionId>:<activityId>:<jobType>[:<configuration>]`) and need
 * no table or migration.
 */
import type { FlowNode, ProcessGraph } from '../model/graph.js';
import type { ProcessDefinitionRow } from '../persistence/store.js';

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

export function jobDefinitionsOf(definition: ProcessDefinitionRow, graph: ProcessGraph): JobDefinition[] {
  const out: JobDefinition[] = [];
  const add = (activityId: string, jobType: string, jobConfiguration: string) =>
    out.push({
      // An activity has at most one timer, but may continue asynchronously before and after.
      id: `${definition.id}:${activityId}:${jobType === CAMUNDA_JOB_TYPES.asyncContinuation ? jobConfiguration : jobType}`,
      processDefinitionId: definition.id,
      processDefinitionKey: definition.key,
      activityId,
      jobType,
      jobConfiguration,
      suspended: definition.suspended,
      tenantId: definition.tenantId,
      deploymentId: definition.deploymentId,
    });
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

export function matchesJobDefinition(d: JobDefinition, f: JobDefinitionFilter): boolean {
  return (
    (f.id === undefined || d.id === f.id) &&
    (f.activityIdIn === undefined || f.activityIdIn.includes(d.activityId)) &&
    (f.jobType === undefined || d.jobType === f.jobType) &&
    (f.jobConfiguration === undefined || d.jobConfiguration === f.jobConfiguration) &&
    (f.suspended === undefined || d.suspended === f.suspended)
  );
}
