/**
 * Camunda's historic job log (HistoryEventTypes JOB_CREATE, JOB_FAIL,
 * JOB_SUCCESS and JOB_DELETE): how an entry is built from a job, and what a
 * command did to the jobs of one instance.
 */
import { hostname } from 'node:os';
import type { ProcessGraph } from '../model/graph.js';
import type { HistoricJobLogRow, JobLogState, JobRow, ProcessDefinitionRow } from '../persistence/store.js';
import { jobDefinitionsOf, type JobDefinition } from '../repository/job-definitions.js';
import type { ProcessInstance } from '../runtime/process-instance.js';

/** Where a job comes from: its process definition (deployment, tenant) and compiled graph (job definitions). */
export interface JobSource {
  readonly definition: ProcessDefinitionRow;
  readonly graph: ProcessGraph;
}

/** What an entry adds to the job's own fields. */
export interface JobLogDetails {
  exceptionMessage?: string;
  exceptionStacktrace?: string;
  failedActivityId?: string | null;
}

/** Camunda's HistoricJobLog.getHostname: the host of the engine that wrote the entry. */
const HOSTNAME = hostname();

/** The job definitions of each compiled graph by id, computed once: every entry of a job names its type and configuration. */
const jobDefinitionCache = new WeakMap<ProcessGraph, { definitionId: string; byId: Map<string, JobDefinition> }>();

function jobDefinition(source: JobSource, id: string): JobDefinition | undefined {
  let cached = jobDefinitionCache.get(source.graph);
  if (!cached || cached.definitionId !== source.definition.id) {
    cached = { definitionId: source.definition.id, byId: new Map(jobDefinitionsOf(source.definition, source.graph).map((d) => [d.id, d])) };
    jobDefinitionCache.set(source.graph, cached);
  }
  return cached.byId.get(id);
}

/**
 * An entry as Camunda's DefaultHistoryEventProducer writes it: the job's due
 * date, retries and priority as they are now, its job definition's type and
 * configuration (a job without one names its own type instead, as Camunda's
 * do with their handler type).
 */
export function jobLogRow(id: string, state: JobLogState, job: JobRow, source: JobSource, time: Date, details: JobLogDetails = {}): HistoricJobLogRow {
  const definition = job.jobDefinitionId === null ? undefined : jobDefinition(source, job.jobDefinitionId);
  return {
    id,
    timestamp: time,
    jobId: job.id,
    jobDueDate: job.dueDate,
    jobRetries: job.retries,
    jobPriority: job.priority,
    jobExceptionMessage: details.exceptionMessage ?? null,
    jobExceptionStacktrace: details.exceptionStacktrace ?? null,
    jobDefinitionId: job.jobDefinitionId,
    jobDefinitionType: definition?.jobType ?? job.type,
    jobDefinitionConfiguration: definition?.jobConfiguration ?? null,
    activityId: job.activityId,
    failedActivityId: details.failedActivityId ?? null,
    executionId: job.executionId,
    instanceId: job.instanceId,
    rootInstanceId: job.rootInstanceId,
    definitionId: job.definitionId,
    definitionKey: job.definitionKey,
    deploymentId: source.definition.deploymentId,
    tenantId: job.tenantId,
    hostname: HOSTNAME,
    state,
    removalTime: null,
  };
}

export interface JobChanges {
  /** New jobs, as they are inserted. */
  readonly created: readonly JobRow[];
  /** Jobs gone without being run, as they were loaded. */
  readonly deleted: readonly JobRow[];
}

/**
 * The jobs a command created and deleted in one instance: the difference
 * between its jobs as loaded and as they are now. A job the command ran is
 * neither (`executed`; its entry is a success). Jobs created and deleted
 * within one command, or created by a command that ended the instance, never
 * reach the database and leave no trace. Null when nothing changed.
 */
export function jobChanges(inst: ProcessInstance, executed: ReadonlySet<string>): JobChanges | null {
  if (inst.jobs.size === 0 && inst.loadedJobs.size === 0) return null;
  const created: JobRow[] = [];
  const deleted: JobRow[] = [];
  if (!inst.ended) for (const j of inst.jobs.values()) if (!inst.loadedJobs.has(j.id)) created.push(inst.jobRow(j));
  for (const row of inst.loadedJobs.values()) {
    if ((!inst.ended && inst.jobs.has(row.id)) || executed.has(row.id)) continue;
    deleted.push(row);
  }
  return created.length || deleted.length ? { created, deleted } : null;
}
