/**
 * Jobs, incidents and event subscriptions: the store contract the job
 * executor, timers, messages and signals need. Merged into `Store` (and the
 * `Tables` map) once both stores implement it.
 */
import type { Page, Sorting } from './store.js';

/**
 * A job: asynchronous continuation, timer, … Created and deleted by commands
 * (inserts/deletes in their change sets); locked by `acquireJobs`; retries,
 * exception and lock fields change through `patch` mutations.
 */
export interface JobRow {
  id: string;
  /** The persisted handler type name ('async-continuation', 'timer-transition', 'timer-start-event', …); never renamed without a migration. */
  type: string;
  instanceId: string | null;
  executionId: string | null;
  rootInstanceId: string | null;
  definitionId: string | null;
  definitionKey: string | null;
  activityId: string | null;
  /** The job definition (see repository/job-definitions.ts); null for jobs without one (timeout task listeners, connector calls) and jobs created before migration 0009. */
  jobDefinitionId: string | null;
  /** Null: due at once. */
  dueDate: Date | null;
  retries: number;
  lockOwner: string | null;
  lockExpiration: Date | null;
  exceptionMessage: string | null;
  /** Stack-free details of the last failure. */
  exceptionDetails: string | null;
  priority: number;
  exclusive: boolean;
  suspended: boolean;
  /** Handler configuration (JSON text), opaque to the store. */
  handlerConfig: string;
  /** Timer cycles: the repeat expression still to run (e.g. R2/PT10M). */
  repeat: string | null;
  tenantId: string | null;
  createTime: Date;
}

export interface IncidentRow {
  id: string;
  /** 'failedJob' | 'failedExternalTask' */
  type: string;
  instanceId: string | null;
  executionId: string | null;
  rootInstanceId: string | null;
  definitionId: string | null;
  definitionKey: string | null;
  activityId: string | null;
  /** The job (or external task) id. */
  configuration: string | null;
  message: string | null;
  annotation: string | null;
  /** A failedJob incident's: its job's job definition (null for jobs without one and incidents created before migration 0010). */
  jobDefinitionId: string | null;
  createTime: Date;
  tenantId: string | null;
}

/** A message, signal, conditional or compensation subscription. Start-event subscriptions have no instance. */
export interface EventSubscriptionRow {
  id: string;
  /** 'message' | 'signal' | 'conditional' | 'compensate' */
  type: string;
  eventName: string | null;
  instanceId: string | null;
  executionId: string | null;
  activityId: string | null;
  definitionId: string | null;
  tenantId: string | null;
  createTime: Date;
}

export interface JobFilter {
  id?: string;
  idIn?: string[];
  type?: string;
  instanceId?: string;
  instanceIdIn?: string[];
  executionId?: string;
  definitionId?: string;
  definitionKey?: string;
  activityId?: string;
  jobDefinitionId?: string;
  /** Due (dueDate null or ≤ now) and retries > 0 and not suspended. */
  executableAt?: Date;
  /** retries > 0 */
  withRetriesLeft?: boolean;
  /** retries = 0 */
  noRetriesLeft?: boolean;
  withException?: boolean;
  /** exception_message IS NULL: the last run did not fail (or it never ran). */
  withoutException?: boolean;
  timers?: boolean;
  messages?: boolean;
  dueBefore?: Date;
  dueAfter?: Date;
  suspended?: boolean;
  tenantIdIn?: string[];
  /** Only jobs without tenant; with `tenantIdIn`, those tenants' jobs and the ones without. */
  withoutTenantId?: boolean;
}

/**
 * The recorded suspension state of a job definition (Camunda's
 * ACT_RU_JOBDEF.SUSPENSION_STATE_). Job definitions are derived from the
 * deployed models; one without a recorded state follows its process
 * definition.
 */
export interface JobDefinitionStateRow {
  id: string;
  /** The process definition it belongs to. */
  definitionId: string;
  suspended: boolean;
}

export interface IncidentFilter {
  id?: string;
  type?: string;
  instanceId?: string;
  instanceIdIn?: string[];
  definitionKey?: string;
  executionId?: string;
  definitionId?: string;
  activityId?: string;
  configuration?: string;
  jobDefinitionIdIn?: string[];
  tenantIdIn?: string[];
}

export interface EventSubscriptionFilter {
  id?: string;
  type?: string;
  eventName?: string;
  instanceId?: string;
  executionId?: string;
  activityId?: string;
  definitionId?: string;
  /** Only subscriptions of start events (no instance). */
  startEventsOnly?: boolean;
  /** Only subscriptions of running instances. */
  instanceOnly?: boolean;
  tenantIdIn?: string[];
}


export interface JobTables {
  job: JobRow;
  incident: IncidentRow;
  eventSubscription: EventSubscriptionRow;
}

export interface JobStore {
  /**
   * Claims up to `max` executable jobs (due at `now`, retries > 0, not
   * suspended, unlocked or with an expired lock) for `owner` until
   * `lockExpiration`, highest priority first, then earliest due. On PostgreSQL
   * one round trip with FOR UPDATE SKIP LOCKED, so several nodes never claim
   * the same job. Returns the claimed rows (with the new lock).
   */
  acquireJobs(owner: string, now: Date, lockExpiration: Date, max: number): Promise<JobRow[]>;
  /** Earliest due date of an executable, unlocked (or lock-expired) job, to schedule the next wake-up. Null if none; a job due at once reports `now`. */
  nextJobDueDate(now: Date): Promise<Date | null>;
  getJob(id: string): Promise<JobRow | null>;
  findJobs(filter: JobFilter, page?: Page, sort?: Sorting<'id' | 'dueDate' | 'priority' | 'retries' | 'instanceId'>[]): Promise<JobRow[]>;
  countJobs(filter: JobFilter): Promise<number>;
  /** Suspends (or activates) the jobs the filter selects, in one statement. */
  updateJobSuspensionState(filter: JobFilter, suspended: boolean): Promise<void>;
  /**
   * Records the suspension state of job definitions and, when `jobs` is
   * given, sets it on the jobs that filter selects, in one transaction.
   */
  updateJobDefinitionSuspensionState(jobDefinitions: readonly Omit<JobDefinitionStateRow, 'suspended'>[], suspended: boolean, jobs: JobFilter | null): Promise<void>;
  /** The recorded states of the job definitions of these process definitions. */
  findJobDefinitionStates(definitionIds: readonly string[]): Promise<JobDefinitionStateRow[]>;
  /** Forgets the recorded job definition states of these process definitions (their deployment is deleted). */
  deleteJobDefinitionStates(definitionIds: readonly string[]): Promise<void>;
  findIncidents(filter: IncidentFilter, page?: Page): Promise<IncidentRow[]>;
  countIncidents(filter: IncidentFilter): Promise<number>;
  findEventSubscriptions(filter: EventSubscriptionFilter, page?: Page): Promise<EventSubscriptionRow[]>;
  countEventSubscriptions(filter: EventSubscriptionFilter): Promise<number>;
}
