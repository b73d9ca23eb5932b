/**
 * The one interface between the engine and its database. Two implementations:
 * `SqliteStore` (embedded, better-sqlite3 in WAL mode) and `PostgresStore`.
 * Both are created from a TypeORM DataSource whose entities and numbered
 * migrations define the schema; the hot paths use prepared raw SQL on the
 * DataSource's driver (see ./sql/).
 *
 * Runtime state is aggregate-per-process-instance: `ProcessInstanceRow.doc`
 * (JSON) is the source of truth for executions, variables and tasks; the task,
 * variable and execution rows are query projections written in the same
 * transaction. `ProcessInstanceRow.rev` is the optimistic lock.
 */
import type { TypedValue } from '../variables/typed-value.js';
import type { CommittedEventBus } from './event-bus.js';
import type { BufferedMessageStore, BufferedMessageTables } from './buffered-message-store.js';
import type { ExternalTaskStore, ExternalTaskTables } from './external-task-store.js';
import type { JobStore, JobTables } from './job-store.js';
export type * from './job-store.js';
export type * from './external-task-store.js';
export type * from './buffered-message-store.js';

export interface DeploymentRow {
  id: string;
  name: string | null;
  source: string | null;
  tenantId: string | null;
  deployTime: Date;
}

export interface ResourceRow {
  id: string;
  deploymentId: string;
  name: string;
  /** The resource text (BPMN XML, scripts). */
  content: string;
  /** sha256 hex of content: duplicate filtering compares this. */
  hash: string;
}

export interface ProcessDefinitionRow {
  /** `<key>:<version>:<uuid>` as Camunda does. */
  id: string;
  key: string;
  version: number;
  versionTag: string | null;
  name: string | null;
  /** The definitions' targetNamespace, Camunda's "category". */
  category: string | null;
  deploymentId: string;
  resourceName: string;
  tenantId: string | null;
  historyTimeToLive: number | null;
  suspended: boolean;
  /** false for isExecutable="false": stored but not startable. */
  executable: boolean;
  startableInTasklist: boolean;
}

export interface ProcessInstanceRow {
  id: string;
  rev: number;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  suspended: boolean;
  superInstanceId: string | null;
  superExecutionId: string | null;
  rootInstanceId: string;
  startTime: Date;
  startUserId: string | null;
  /** Serialized runtime state (JSON); opaque to the store. */
  doc: string;
}

/** Projection of one execution for queries (activity id filters, /execution). */
export interface ExecutionRow {
  id: string;
  instanceId: string;
  parentId: string | null;
  activityId: string | null;
  activityInstanceId: string | null;
  active: boolean;
  concurrent: boolean;
  scope: boolean;
  definitionId: string;
  tenantId: string | null;
  businessKey: string | null;
  suspended: boolean;
}

export interface TaskRow {
  id: string;
  instanceId: string;
  executionId: string;
  activityInstanceId: string;
  definitionId: string;
  definitionKey: string;
  taskDefinitionKey: string;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  dueDate: Date | null;
  followUpDate: Date | null;
  formKey: string | null;
  createTime: Date;
  tenantId: string | null;
  suspended: boolean;
  /** Stored by the store as identity-link rows so they can be queried. */
  candidateUsers: string[];
  candidateGroups: string[];
}

export interface VariableRow {
  id: string;
  instanceId: string;
  /** The execution owning the variable (its scope). */
  executionId: string;
  activityInstanceId: string;
  /** Set for task-local variables. */
  taskId: string | null;
  name: string;
  /** The store keeps type, a text column, a numeric column (for comparisons) and the JSON form. */
  value: TypedValue;
  definitionId: string;
  tenantId: string | null;
}

export type InstanceState = 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'EXTERNALLY_TERMINATED' | 'INTERNALLY_TERMINATED';

export interface HistoricProcessInstanceRow {
  id: string;
  businessKey: string | null;
  definitionId: string;
  definitionKey: string;
  definitionName: string | null;
  definitionVersion: number;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  startUserId: string | null;
  startActivityId: string | null;
  endActivityId: string | null;
  superInstanceId: string | null;
  rootInstanceId: string;
  tenantId: string | null;
  state: InstanceState;
  deleteReason: string | null;
  /** When history cleanup may remove it (end time + history TTL). */
  removalTime: Date | null;
}

export interface HistoricActivityInstanceRow {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityName: string | null;
  /** Camunda's activity type names: startEvent, noneEndEvent, userTask, exclusiveGateway, subProcess, ... */
  activityType: string;
  instanceId: string;
  executionId: string;
  definitionId: string;
  definitionKey: string;
  taskId: string | null;
  calledProcessInstanceId: string | null;
  assignee: string | null;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  canceled: boolean;
  completeScope: boolean;
  /** Monotonic per instance: orders activities that start in the same millisecond. */
  sequenceCounter: number;
  tenantId: string | null;
  removalTime: Date | null;
}

export interface HistoricTaskInstanceRow {
  id: string;
  instanceId: string;
  executionId: string;
  activityInstanceId: string;
  definitionId: string;
  definitionKey: string;
  taskDefinitionKey: string;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  dueDate: Date | null;
  followUpDate: Date | null;
  startTime: Date;
  endTime: Date | null;
  durationMs: number | null;
  /** 'completed' or 'deleted' (Camunda's delete reasons), null while open. */
  deleteReason: string | null;
  tenantId: string | null;
  removalTime: Date | null;
}

export interface HistoricVariableInstanceRow {
  id: string;
  instanceId: string;
  executionId: string;
  activityInstanceId: string;
  taskId: string | null;
  name: string;
  value: TypedValue;
  state: 'CREATED' | 'DELETED';
  createTime: Date;
  definitionId: string;
  definitionKey: string;
  tenantId: string | null;
  removalTime: Date | null;
}

/** One variable update (Camunda's HistoricVariableUpdate detail), written at history level full. */
export interface HistoricDetailRow {
  id: string;
  variableInstanceId: string;
  instanceId: string;
  executionId: string;
  activityInstanceId: string;
  taskId: string | null;
  name: string;
  value: TypedValue;
  time: Date;
  /** The variable's revision after this update (0 on create). */
  revision: number;
  definitionId: string;
  definitionKey: string;
  tenantId: string | null;
  removalTime: Date | null;
}

/** Camunda's incident states: open, resolved (the cause was fixed) or deleted (with its execution or instance). */
export type HistoricIncidentState = 'open' | 'resolved' | 'deleted';

/**
 * An incident as history records it (Camunda's HistoricIncident), written at
 * history level full: created open, it ends resolved or deleted.
 */
export interface HistoricIncidentRow {
  id: string;
  /** 'failedJob' | 'failedExternalTask' | 'connectorTimeout' */
  type: string;
  instanceId: string | null;
  executionId: string | null;
  rootInstanceId: string | null;
  definitionId: string | null;
  definitionKey: string | null;
  activityId: string | null;
  /** The activity whose failure raised the incident. */
  failedActivityId: string | null;
  /** Incidents here have no causes of their own: each is its own cause and root cause, as Camunda's root incidents. */
  causeIncidentId: string | null;
  rootCauseIncidentId: string | null;
  /** The failed job (or external task, or pending connector call). */
  configuration: string | null;
  /** For a failedJob incident: the historic job log entry of the failure that raised it (level full). */
  historyConfiguration: string | null;
  message: string | null;
  annotation: string | null;
  jobDefinitionId: string | null;
  createTime: Date;
  /** When it was resolved or deleted; null while open. */
  endTime: Date | null;
  removalTime: Date | null;
  tenantId: string | null;
  state: HistoricIncidentState;
}

/** Camunda's job log states: one entry per creation, failed execution, successful execution and deletion of a job. */
export type JobLogState = 'created' | 'failed' | 'successful' | 'deleted';

/**
 * One entry of a job's lifecycle (Camunda's HistoricJobLog), written at
 * history level full. The job fields are the job's as the entry was written:
 * a failure entry has the retries the job had before that run.
 */
export interface HistoricJobLogRow {
  id: string;
  timestamp: Date;
  jobId: string;
  jobDueDate: Date | null;
  jobRetries: number;
  jobPriority: number;
  /** Failure entries only. */
  jobExceptionMessage: string | null;
  /** Failure entries only: the stack-free failure details the job's stacktrace held after that run. */
  jobExceptionStacktrace: string | null;
  jobDefinitionId: string | null;
  /** The job definition's type; for a job without one, the job's own type name (Camunda: its handler type). */
  jobDefinitionType: string;
  jobDefinitionConfiguration: string | null;
  activityId: string | null;
  /** The activity whose failure the entry records; set on failure entries and on the success of a job that failed before. */
  failedActivityId: string | null;
  executionId: string | null;
  instanceId: string | null;
  rootInstanceId: string | null;
  definitionId: string | null;
  definitionKey: string | null;
  deploymentId: string | null;
  tenantId: string | null;
  /** The host of the engine that wrote the entry. */
  hostname: string;
  state: JobLogState;
  removalTime: Date | null;
}

export interface Tables extends JobTables, ExternalTaskTables, BufferedMessageTables {
  deployment: DeploymentRow;
  resource: ResourceRow;
  processDefinition: ProcessDefinitionRow;
  processInstance: ProcessInstanceRow;
  execution: ExecutionRow;
  task: TaskRow;
  variable: VariableRow;
  historicProcessInstance: HistoricProcessInstanceRow;
  historicActivityInstance: HistoricActivityInstanceRow;
  historicTaskInstance: HistoricTaskInstanceRow;
  historicVariableInstance: HistoricVariableInstanceRow;
  historicDetail: HistoricDetailRow;
  historicIncident: HistoricIncidentRow;
  historicJobLog: HistoricJobLogRow;
}

export type TableName = keyof Tables;

/**
 * One change of a command's change set. `expectedRev` is only meaningful for
 * `processInstance`: the update/delete must match that revision, and an update
 * stores `row.rev` (which the caller sets to expectedRev + 1).
 */
export type Mutation =
  | { [T in TableName]: { table: T; op: 'insert'; row: Tables[T] } }[TableName]
  | { [T in TableName]: { table: T; op: 'update'; row: Tables[T]; expectedRev?: number } }[TableName]
  | { [T in TableName]: { table: T; op: 'delete'; id: string; expectedRev?: number } }[TableName]
  /** Sets only the given columns of the row with this id (history end times, task assignee, ...). */
  | { [T in TableName]: { table: T; op: 'patch'; id: string; set: Partial<Tables[T]> } }[TableName];

export interface Page {
  /** Default 0. */
  firstResult?: number;
  /** Default unbounded for the engine; the gateway always bounds it. */
  maxResults?: number;
}

export interface Sorting<F extends string> {
  by: F;
  order?: 'asc' | 'desc';
}

export type VariableOperator = 'eq' | 'neq' | 'gt' | 'gteq' | 'lt' | 'lteq' | 'like';

export interface VariableCondition {
  name: string;
  operator: VariableOperator;
  /** Compared as number when it is a number, as text otherwise; booleans and null compare by type. */
  value: string | number | boolean | null;
}

export interface DeploymentFilter {
  id?: string;
  name?: string;
  nameLike?: string;
  source?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  deployedBefore?: Date;
  deployedAfter?: Date;
}

export interface ProcessDefinitionFilter {
  id?: string;
  idIn?: string[];
  key?: string;
  keyIn?: string[];
  keyLike?: string;
  name?: string;
  nameLike?: string;
  version?: number;
  /** Only the highest version per (key, tenant). */
  latestVersion?: boolean;
  deploymentId?: string;
  versionTag?: string;
  versionTagLike?: string;
  resourceName?: string;
  category?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  suspended?: boolean;
  startableInTasklist?: boolean;
}

export interface ProcessInstanceFilter {
  id?: string;
  idIn?: string[];
  businessKey?: string;
  businessKeyLike?: string;
  definitionId?: string;
  definitionKey?: string;
  definitionKeyIn?: string[];
  definitionKeyNotIn?: string[];
  deploymentId?: string;
  superInstanceId?: string;
  /** Instances that called this sub instance. */
  subInstanceId?: string;
  rootInstanceId?: string;
  suspended?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  /** Instances with an execution currently at one of these activities. */
  activityIdIn?: string[];
  /** Conditions on process-instance-level (or any-scope, see Camunda) variables, all must hold. */
  variables?: VariableCondition[];
}

export interface ExecutionFilter {
  id?: string;
  instanceId?: string;
  businessKey?: string;
  definitionId?: string;
  activityId?: string;
  active?: boolean;
  tenantIdIn?: string[];
}

export interface TaskFilter {
  id?: string;
  idIn?: string[];
  instanceId?: string;
  instanceIdIn?: string[];
  executionId?: string;
  activityInstanceIdIn?: string[];
  businessKey?: string;
  definitionId?: string;
  definitionKey?: string;
  definitionKeyIn?: string[];
  taskDefinitionKey?: string;
  taskDefinitionKeyIn?: string[];
  taskDefinitionKeyLike?: string;
  name?: string;
  nameLike?: string;
  assignee?: string;
  assigneeIn?: string[];
  assigneeLike?: string;
  owner?: string;
  unassigned?: boolean;
  assigned?: boolean;
  /** Tasks this user is a candidate for (directly or through candidateGroups). */
  candidateUser?: string;
  candidateGroup?: string;
  candidateGroupIn?: string[];
  /** With candidateUser/candidateGroup: also return tasks already assigned. */
  includeAssignedTasks?: boolean;
  withCandidateGroups?: boolean;
  withoutCandidateGroups?: boolean;
  withCandidateUsers?: boolean;
  withoutCandidateUsers?: boolean;
  dueBefore?: Date;
  dueAfter?: Date;
  followUpBefore?: Date;
  followUpAfter?: Date;
  createdBefore?: Date;
  createdAfter?: Date;
  priority?: number;
  minPriority?: number;
  maxPriority?: number;
  suspended?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  /** Conditions on process variables of the task's instance. */
  processVariables?: VariableCondition[];
  /** Conditions on task-local variables. */
  taskVariables?: VariableCondition[];
}

export interface VariableFilter {
  instanceIdIn?: string[];
  executionIdIn?: string[];
  activityInstanceIdIn?: string[];
  taskIdIn?: string[];
  name?: string;
  nameIn?: string[];
  nameLike?: string;
  tenantIdIn?: string[];
  values?: VariableCondition[];
}

export interface HistoricProcessInstanceFilter {
  id?: string;
  idIn?: string[];
  businessKey?: string;
  definitionId?: string;
  definitionKey?: string;
  superInstanceId?: string;
  state?: InstanceState;
  finished?: boolean;
  unfinished?: boolean;
  startedBefore?: Date;
  startedAfter?: Date;
  finishedBefore?: Date;
  finishedAfter?: Date;
  tenantIdIn?: string[];
}

export interface HistoricActivityInstanceFilter {
  id?: string;
  instanceId?: string;
  definitionId?: string;
  definitionKey?: string;
  executionId?: string;
  activityId?: string;
  activityType?: string;
  taskAssignee?: string;
  finished?: boolean;
  unfinished?: boolean;
  canceled?: boolean;
  completeScope?: boolean;
  startedBefore?: Date;
  startedAfter?: Date;
  tenantIdIn?: string[];
}

export interface HistoricTaskInstanceFilter {
  id?: string;
  instanceId?: string;
  definitionId?: string;
  definitionKey?: string;
  taskDefinitionKey?: string;
  assignee?: string;
  finished?: boolean;
  unfinished?: boolean;
  tenantIdIn?: string[];
}

export interface HistoricVariableInstanceFilter {
  instanceId?: string;
  instanceIdIn?: string[];
  definitionKey?: string;
  executionIdIn?: string[];
  activityInstanceIdIn?: string[];
  taskIdIn?: string[];
  name?: string;
  nameLike?: string;
  includeDeleted?: boolean;
  tenantIdIn?: string[];
}

export interface HistoricDetailFilter {
  instanceId?: string;
  variableInstanceId?: string;
  executionIdIn?: string[];
  activityInstanceId?: string;
  taskId?: string;
  tenantIdIn?: string[];
}

/** Camunda's HistoricIncidentQuery. `open`, `resolved` and `deleted` each select that state. */
export interface HistoricIncidentFilter {
  id?: string;
  type?: string;
  message?: string;
  messageLike?: string;
  definitionId?: string;
  definitionKey?: string;
  definitionKeyIn?: string[];
  instanceId?: string;
  executionId?: string;
  createTimeBefore?: Date;
  createTimeAfter?: Date;
  endTimeBefore?: Date;
  endTimeAfter?: Date;
  activityId?: string;
  failedActivityId?: string;
  causeIncidentId?: string;
  rootCauseIncidentId?: string;
  configuration?: string;
  historyConfiguration?: string;
  open?: boolean;
  resolved?: boolean;
  deleted?: boolean;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  jobDefinitionIdIn?: string[];
}

/** Camunda's historic incident sort keys; `state` sorts by the state's name (Camunda: by its numeric code, open < resolved < deleted). */
export type HistoricIncidentSortField =
  | 'id'
  | 'message'
  | 'createTime'
  | 'endTime'
  | 'type'
  | 'executionId'
  | 'activityId'
  | 'instanceId'
  | 'definitionId'
  | 'definitionKey'
  | 'causeIncidentId'
  | 'rootCauseIncidentId'
  | 'configuration'
  | 'historyConfiguration'
  | 'tenantId'
  | 'state';

/**
 * Camunda's HistoricJobLogQuery. `creationLog`, `failureLog`, `successLog`
 * and `deletionLog` each select entries of that state.
 */
export interface HistoricJobLogFilter {
  id?: string;
  jobId?: string;
  jobExceptionMessage?: string;
  jobDefinitionId?: string;
  jobDefinitionType?: string;
  jobDefinitionConfiguration?: string;
  activityIdIn?: string[];
  failedActivityIdIn?: string[];
  executionIdIn?: string[];
  instanceId?: string;
  definitionId?: string;
  definitionKey?: string;
  deploymentId?: string;
  tenantIdIn?: string[];
  withoutTenantId?: boolean;
  hostname?: string;
  jobPriorityLowerThanOrEquals?: number;
  jobPriorityHigherThanOrEquals?: number;
  creationLog?: boolean;
  failureLog?: boolean;
  successLog?: boolean;
  deletionLog?: boolean;
}

/**
 * Camunda's historic job log sort keys. `occurrence` orders the entries of a
 * job as they were written: entry ids are time-ordered (UUIDv7), as Camunda's
 * sequence counter orders them.
 */
export type HistoricJobLogSortField =
  | 'timestamp'
  | 'jobId'
  | 'jobDefinitionId'
  | 'jobDueDate'
  | 'jobRetries'
  | 'jobPriority'
  | 'activityId'
  | 'executionId'
  | 'instanceId'
  | 'definitionId'
  | 'definitionKey'
  | 'deploymentId'
  | 'hostname'
  | 'occurrence'
  | 'tenantId';

export interface Store extends JobStore, ExternalTaskStore, BufferedMessageStore {
  readonly kind: 'sqlite' | 'postgres';

  /** Applies pending numbered migrations (idempotent). */
  migrate(): Promise<void>;
  /** True when every known migration is applied (readiness). */
  isMigrated(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * How nodes sharing this database tell each other what they committed;
   * absent on the embedded store, which only one node opens.
   */
  committedEventBus?(): CommittedEventBus;

  /**
   * Applies all mutations in one database transaction, in order. Throws
   * `ConflictError` (and applies nothing) when an `expectedRev` does not match
   * or an insert hits an existing process instance id.
   */
  commit(mutations: readonly Mutation[]): Promise<void>;

  getProcessInstance(id: string): Promise<ProcessInstanceRow | null>;
  getProcessDefinition(id: string): Promise<ProcessDefinitionRow | null>;
  /** Highest version of the key; tenantId null means "without tenant". */
  getLatestProcessDefinition(key: string, tenantId: string | null): Promise<ProcessDefinitionRow | null>;
  getProcessDefinitionByVersion(key: string, version: number, tenantId: string | null): Promise<ProcessDefinitionRow | null>;
  getProcessDefinitionByVersionTag(key: string, versionTag: string, tenantId: string | null): Promise<ProcessDefinitionRow | null>;
  getProcessDefinitionInDeployment(key: string, deploymentId: string): Promise<ProcessDefinitionRow | null>;
  getDeployment(id: string): Promise<DeploymentRow | null>;
  getResources(deploymentId: string): Promise<ResourceRow[]>;
  getResource(deploymentId: string, name: string): Promise<ResourceRow | null>;
  /**
   * For duplicate filtering: the resources of the newest deployment with this
   * name (and tenant) that contained a resource of the given name.
   */
  getLatestResourcesByName(deploymentName: string, tenantId: string | null, resourceNames: string[]): Promise<ResourceRow[]>;
  getTask(id: string): Promise<TaskRow | null>;

  findDeployments(filter: DeploymentFilter, page?: Page, sort?: Sorting<'id' | 'name' | 'deploymentTime' | 'tenantId'>[]): Promise<DeploymentRow[]>;
  countDeployments(filter: DeploymentFilter): Promise<number>;
  findProcessDefinitions(filter: ProcessDefinitionFilter, page?: Page, sort?: Sorting<'id' | 'key' | 'name' | 'version' | 'deploymentId' | 'tenantId' | 'versionTag'>[]): Promise<ProcessDefinitionRow[]>;
  countProcessDefinitions(filter: ProcessDefinitionFilter): Promise<number>;
  findProcessInstances(filter: ProcessInstanceFilter, page?: Page, sort?: Sorting<'id' | 'definitionKey' | 'definitionId' | 'businessKey' | 'startTime' | 'tenantId'>[]): Promise<ProcessInstanceRow[]>;
  countProcessInstances(filter: ProcessInstanceFilter): Promise<number>;
  findExecutions(filter: ExecutionFilter, page?: Page): Promise<ExecutionRow[]>;
  countExecutions(filter: ExecutionFilter): Promise<number>;
  findTasks(filter: TaskFilter, page?: Page, sort?: Sorting<'id' | 'name' | 'assignee' | 'created' | 'dueDate' | 'followUpDate' | 'priority' | 'instanceId' | 'taskDefinitionKey'>[]): Promise<TaskRow[]>;
  countTasks(filter: TaskFilter): Promise<number>;
  findVariables(filter: VariableFilter, page?: Page): Promise<VariableRow[]>;
  countVariables(filter: VariableFilter): Promise<number>;

  findHistoricProcessInstances(filter: HistoricProcessInstanceFilter, page?: Page, sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'definitionKey' | 'businessKey'>[]): Promise<HistoricProcessInstanceRow[]>;
  countHistoricProcessInstances(filter: HistoricProcessInstanceFilter): Promise<number>;
  findHistoricActivityInstances(filter: HistoricActivityInstanceFilter, page?: Page, sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'activityId' | 'sequenceCounter' | 'activityName' | 'activityType' | 'instanceId' | 'executionId' | 'definitionId' | 'tenantId'>[]): Promise<HistoricActivityInstanceRow[]>;
  countHistoricActivityInstances(filter: HistoricActivityInstanceFilter): Promise<number>;
  findHistoricTaskInstances(filter: HistoricTaskInstanceFilter, page?: Page, sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'name' | 'assignee'>[]): Promise<HistoricTaskInstanceRow[]>;
  countHistoricTaskInstances(filter: HistoricTaskInstanceFilter): Promise<number>;
  findHistoricVariableInstances(filter: HistoricVariableInstanceFilter, page?: Page): Promise<HistoricVariableInstanceRow[]>;
  countHistoricVariableInstances(filter: HistoricVariableInstanceFilter): Promise<number>;
  findHistoricDetails(filter: HistoricDetailFilter, page?: Page): Promise<HistoricDetailRow[]>;
  findHistoricIncidents(filter: HistoricIncidentFilter, page?: Page, sort?: Sorting<HistoricIncidentSortField>[]): Promise<HistoricIncidentRow[]>;
  countHistoricIncidents(filter: HistoricIncidentFilter): Promise<number>;
  findHistoricJobLogs(filter: HistoricJobLogFilter, page?: Page, sort?: Sorting<HistoricJobLogSortField>[]): Promise<HistoricJobLogRow[]>;
  countHistoricJobLogs(filter: HistoricJobLogFilter): Promise<number>;

  /**
   * History cleanup: deletes at most `batchSize` finished historic process
   * instances whose removalTime is before `now`, with all their activity, task,
   * variable, detail, incident and job log rows. Returns how many process instances were removed.
   */
  cleanupHistory(now: Date, batchSize: number): Promise<number>;
}
