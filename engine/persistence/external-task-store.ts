/**
 * External tasks: the store contract `fetchAndLock` and the external task
 * queries need. Merged into `Store` (and the `Tables` map) like job-store.ts.
 */
import type { Page, Sorting } from './store.js';

/**
 * A unit of work for an external worker (`camunda:type="external"`). Created
 * and deleted by commands of its process instance (inserts/deletes in their
 * change sets; the fields the instance document owns change through patches
 * of those fields only). Locks, retries and failures live only here and
 * change through `fetchAndLockExternalTasks` and `patch` mutations.
 */
export interface ExternalTaskRow {
  id: string;
  topicName: string;
  /** The worker holding (or last holding) the lock. */
  workerId: string | null;
  /** Locked until then; after a failure, unavailable until then (the retry timeout). */
  lockExpiration: Date | null;
  /** Null until a failure is reported: unlimited, as in Camunda. */
  retries: number | null;
  /** Of the last failure; at most 666 characters, as Camunda keeps it. */
  errorMessage: string | null;
  errorDetails: string | null;
  suspended: boolean;
  priority: number;
  instanceId: string;
  executionId: string;
  rootInstanceId: string;
  definitionId: string;
  definitionKey: string;
  definitionVersionTag: string | null;
  activityId: string;
  activityInstanceId: string;
  businessKey: string | null;
  tenantId: string | null;
  createTime: Date;
}

/** One topic of a fetch: its own lock duration and filters (all must hold). */
export interface ExternalTaskTopicRequest {
  topicName: string;
  lockDurationMs: number;
  businessKey?: string;
  processDefinitionId?: string;
  processDefinitionIdIn?: string[];
  processDefinitionKey?: string;
  processDefinitionKeyIn?: string[];
  processDefinitionVersionTag?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  /** Process variables (any scope of the instance, not task-local) equal to these values. */
  processVariables?: Record<string, string | number | boolean | null>;
}

export interface ExternalTaskFilter {
  id?: string;
  idIn?: string[];
  topicName?: string;
  workerId?: string;
  /** Locked at this instant (lock expiration after it). */
  lockedAt?: Date;
  /** Not locked at this instant (no lock expiration, or one not after it). */
  notLockedAt?: Date;
  lockExpirationBefore?: Date;
  lockExpirationAfter?: Date;
  /** retries null or > 0 */
  withRetriesLeft?: boolean;
  /** retries = 0 */
  noRetriesLeft?: boolean;
  instanceId?: string;
  instanceIdIn?: string[];
  activityId?: string;
  activityIdIn?: string[];
  executionId?: string;
  definitionId?: string;
  definitionKey?: string;
  suspended?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  priorityHigherThanOrEquals?: number;
  priorityLowerThanOrEquals?: number;
}

export type ExternalTaskSortField = 'id' | 'lockExpiration' | 'instanceId' | 'definitionId' | 'definitionKey' | 'tenantId' | 'priority' | 'createTime';

export interface ExternalTaskTables {
  externalTask: ExternalTaskRow;
}

export interface ExternalTaskStore {
  /**
   * Locks up to `max` available external tasks of the given topics for
   * `workerId`: unlocked or with a lock expired at `now`, retries null or > 0,
   * not suspended. Each task gets the lock duration of its topic. Highest
   * priority first when `usePriority`, then by creation time (oldest first
   * unless `createTimeOrder` says otherwise). On PostgreSQL one statement with
   * FOR UPDATE SKIP LOCKED, so two nodes never lock the same task. Returns
   * the locked rows.
   */
  fetchAndLockExternalTasks(
    workerId: string,
    now: Date,
    topics: readonly ExternalTaskTopicRequest[],
    max: number,
    usePriority: boolean,
    createTimeOrder?: 'asc' | 'desc',
  ): Promise<ExternalTaskRow[]>;
  getExternalTask(id: string): Promise<ExternalTaskRow | null>;
  findExternalTasks(filter: ExternalTaskFilter, page?: Page, sort?: Sorting<ExternalTaskSortField>[]): Promise<ExternalTaskRow[]>;
  countExternalTasks(filter: ExternalTaskFilter): Promise<number>;
}
