/**
 * SELECT and COUNT statements for the `find…`/`count…` methods of `Store`.
 * Each query is declared as a table, one condition per filter field (the
 * mapped type makes a forgotten filter field a compile error), sortable
 * fields and the default order. The main table is always aliased `r`.
 */
import { BadUserInputError } from '../../errors.js';
import type {
  BufferedMessageFilter,
  BufferedMessageSortField,
  DeploymentFilter,
  EventSubscriptionFilter,
  ExecutionFilter,
  ExternalTaskFilter,
  ExternalTaskSortField,
  HistoricActivityInstanceFilter,
  HistoricDetailFilter,
  HistoricIncidentFilter,
  HistoricIncidentSortField,
  HistoricJobLogFilter,
  HistoricJobLogSortField,
  HistoricProcessInstanceFilter,
  HistoricTaskInstanceFilter,
  HistoricVariableInstanceFilter,
  IncidentFilter,
  JobFilter,
  Page,
  ProcessDefinitionFilter,
  ProcessInstanceFilter,
  Sorting,
  TableName,
  TaskFilter,
  VariableCondition,
  VariableFilter,
} from '../store.js';
import { dueAt, runnable } from './acquire-jobs.js';
import { like, SqlParams, type Dialect } from './dialect.js';
import { codecs } from './table-codec.js';
import { numericTypes, textComparableTypes } from './typed-value-codec.js';

/** Returns SQL for one filter field, or null when the value asks for nothing. */
type Condition<F, V> = (q: SqlParams, value: V, filter: F) => string | null;

/** `'combined'`: the field only modifies another field's condition (or `combined`). */
type FilterConditions<F> = { readonly [K in keyof F]-?: Condition<F, NonNullable<F[K]>> | 'combined' };

export interface QueryDef<T extends TableName, F, S extends string> {
  readonly table: T;
  readonly conditions: FilterConditions<F>;
  /** Conditions spanning several filter fields. */
  readonly combined?: (q: SqlParams, filter: F) => string[];
  readonly sort: { readonly [K in S]: string };
  readonly defaultOrder: readonly (readonly [column: string, direction: 'asc' | 'desc'])[];
}

export interface Statement {
  sql: string;
  params: unknown[];
}

const FALSE = '1 = 0';

const eq =
  (column: string) =>
  (q: SqlParams, value: unknown): string =>
    `r.${column} = ${q.add(value)}`;
const inList =
  (column: string) =>
  (q: SqlParams, values: readonly unknown[]): string =>
    values.length ? `r.${column} IN ${q.list(values)}` : FALSE;
const notInList =
  (column: string) =>
  (q: SqlParams, values: readonly unknown[]): string | null =>
    values.length ? `(r.${column} IS NULL OR r.${column} NOT IN ${q.list(values)})` : null;
const likeColumn =
  (column: string) =>
  (q: SqlParams, pattern: string): string =>
    like(`r.${column}`, q, pattern);
const compare =
  (column: string, operator: '<' | '<=' | '>' | '>=') =>
  (q: SqlParams, value: Date | number): string =>
    `r.${column} ${operator} ${q.add(value)}`;
/** A flag filter: only `true` restricts (Camunda's `finished=false` means "not set"). */
const flag =
  (sql: string) =>
  (_q: SqlParams, value: boolean): string | null =>
    value ? sql : null;

/** tenantIdIn and withoutTenantId together mean "one of these tenants or none". */
const tenantIdIn = (q: SqlParams, ids: readonly string[], filter: { withoutTenantId?: boolean }): string => {
  const within = ids.length ? `r.tenant_id IN ${q.list(ids)}` : FALSE;
  return filter.withoutTenantId ? `(${within} OR r.tenant_id IS NULL)` : within;
};
const withoutTenantId = (_q: SqlParams, value: boolean, filter: { tenantIdIn?: readonly string[] }): string | null =>
  value && !filter.tenantIdIn ? 'r.tenant_id IS NULL' : null;

const operators = { eq: '=', neq: '<>', gt: '>', gteq: '>=', lt: '<', lteq: '<=' } as const;

/**
 * One variable condition on the variable row aliased `v`. Numbers compare
 * numerically against numeric variables, strings as text against String and
 * Date (ISO) variables, booleans and null by type; `like` is text only.
 */
export function variableCondition(q: SqlParams, v: string, condition: VariableCondition): string {
  const { operator, value } = condition;
  const name = `${v}.name = ${q.add(condition.name)}`;
  if (operator === 'like') {
    if (value === null || typeof value === 'boolean') throw new BadUserInputError(`Variable condition 'like' needs a text value for '${condition.name}'`, 'variables');
    return `${name} AND ${v}.text_value IS NOT NULL AND ${like(`${v}.text_value`, q, String(value))}`;
  }
  const sqlOperator = operators[operator];
  if (!sqlOperator) throw new BadUserInputError(`Unknown variable condition operator '${String(operator)}'`, 'variables');
  if (value === null || typeof value === 'boolean') {
    if (operator !== 'eq' && operator !== 'neq') {
      throw new BadUserInputError(`Variable condition '${operator}' cannot compare ${String(value)} for '${condition.name}'`, 'variables');
    }
    if (value === null) return `${name} AND ${v}.value_type ${operator === 'eq' ? '=' : '<>'} 'Null'`;
    return `${name} AND ${v}.value_type = 'Boolean' AND ${v}.numeric_value ${sqlOperator} ${q.add(value ? 1 : 0)}`;
  }
  if (typeof value === 'number') {
    return `${name} AND ${v}.value_type IN ${typeList(numericTypes)} AND ${v}.numeric_value ${sqlOperator} ${q.add(value)}`;
  }
  return `${name} AND ${v}.value_type IN ${typeList(textComparableTypes)} AND ${v}.text_value ${sqlOperator} ${q.add(value)}`;
}

function typeList(types: readonly string[]): string {
  return `(${types.map((t) => `'${t}'`).join(', ')})`;
}

function variablesExist(scope: string) {
  return (q: SqlParams, conditions: readonly VariableCondition[]): string | null => {
    const parts = conditions.map((c) => `EXISTS (SELECT 1 FROM cf_variable v WHERE ${scope} AND ${variableCondition(q, 'v', c)})`);
    return parts.length ? parts.join(' AND ') : null;
  };
}

export const deploymentQuery: QueryDef<
  'deployment',
  DeploymentFilter, 'id' | 'name' | 'deploymentTime' | 'tenantId'> = {
  table: 'deployment',
  conditions: {
    id: eq('id'),
    name: eq('name'),
    nameLike: likeColumn('name'),
    source: eq('source'),
    tenantIdIn,
    withoutTenantId,
    deployedBefore: compare('deploy_time', '<'),
    deployedAfter: compare('deploy_time', '>'),
  },
  sort: { id: 'id', name: 'name', deploymentTime: 'deploy_time', tenantId: 'tenant_id' },
  defaultOrder: [['deploy_time', 'asc']],
};

export const processDefinitionQuery: QueryDef<
  'processDefinition',
  
  ProcessDefinitionFilter,
  'id' | 'key' | 'name' | 'version' | 'deploymentId' | 'tenantId' | 'versionTag'
> = {
  table: 'processDefinition',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    key: eq('def_key'),
    keyIn: inList('def_key'),
    keyLike: likeColumn('def_key'),
    name: eq('name'),
    nameLike: likeColumn('name'),
    version: eq('version'),
    latestVersion: flag(
      `r.version = (SELECT MAX(d.version) FROM cf_process_definition d
        WHERE d.def_key = r.def_key AND (d.tenant_id = r.tenant_id OR (d.tenant_id IS NULL AND r.tenant_id IS NULL)))`,
    ),
    deploymentId: eq('deployment_id'),
    versionTag: eq('version_tag'),
    versionTagLike: likeColumn('version_tag'),
    resourceName: eq('resource_name'),
    category: eq('category'),
    tenantIdIn,
    withoutTenantId,
    suspended: eq('suspended'),
    startableInTasklist: eq('startable_in_tasklist'),
  },
  sort: {
    id: 'id',
    key: 'def_key',
    name: 'name',
    version: 'version',
    deploymentId: 'deployment_id',
    tenantId: 'tenant_id',
    versionTag: 'version_tag',
  },
  defaultOrder: [
    ['def_key', 'asc'],
    ['version', 'asc'],
  ],
};

export const processInstanceQuery: QueryDef<
  'processInstance',
  
  ProcessInstanceFilter,
  'id' | 'definitionKey' | 'definitionId' | 'businessKey' | 'startTime' | 'tenantId'
> = {
  table: 'processInstance',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    businessKey: eq('business_key'),
    businessKeyLike: likeColumn('business_key'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    definitionKeyIn: inList('definition_key'),
    definitionKeyNotIn: notInList('definition_key'),
    deploymentId: (q, id) => `r.definition_id IN (SELECT d.id FROM cf_process_definition d WHERE d.deployment_id = ${q.add(id)})`,
    superInstanceId: eq('super_instance_id'),
    subInstanceId: (q, id) => `r.id IN (SELECT s.super_instance_id FROM cf_process_instance s WHERE s.id = ${q.add(id)})`,
    rootInstanceId: eq('root_instance_id'),
    suspended: eq('suspended'),
    tenantIdIn,
    withoutTenantId,
    activityIdIn: (q, ids) =>
      ids.length ? `EXISTS (SELECT 1 FROM cf_execution e WHERE e.instance_id = r.id AND e.activity_id IN ${q.list(ids)})` : FALSE,
    // Any non-task-local variable of the instance, whatever its scope.
    variables: variablesExist('v.instance_id = r.id AND v.task_id IS NULL'),
  },
  sort: {
    id: 'id',
    definitionKey: 'definition_key',
    definitionId: 'definition_id',
    businessKey: 'business_key',
    startTime: 'start_time',
    tenantId: 'tenant_id',
  },
  defaultOrder: [],
};

export const executionQuery: QueryDef<
  'execution',
  ExecutionFilter, 'id'> = {
  table: 'execution',
  conditions: {
    id: eq('id'),
    instanceId: eq('instance_id'),
    businessKey: eq('business_key'),
    definitionId: eq('definition_id'),
    activityId: eq('activity_id'),
    active: eq('active'),
    tenantIdIn: (q, ids) => (ids.length ? `r.tenant_id IN ${q.list(ids)}` : FALSE),
  },
  sort: { id: 'id' },
  defaultOrder: [],
};

/** `IN (subquery)` rather than a correlated EXISTS: both planners then start from the user/group index. */
function hasCandidateLink(q: SqlParams, column: 'user_id' | 'group_id', values?: readonly string[]): string {
  const match = values ? (values.length ? `l.${column} IN ${q.list(values)}` : FALSE) : `l.${column} IS NOT NULL`;
  return `r.id IN (SELECT l.task_id FROM cf_identity_link l WHERE l.link_type = 'candidate' AND ${match})`;
}

/**
 * Camunda's candidate semantics: a task matches when the user is a candidate
 * or one of the groups is; the caller resolves the user's groups into
 * `candidateGroupIn`. Only unassigned tasks unless `includeAssignedTasks`.
 */
function candidateConditions(q: SqlParams, filter: TaskFilter): string[] {
  const groups = [...(filter.candidateGroup !== undefined ? [filter.candidateGroup] : []), ...(filter.candidateGroupIn ?? [])];
  const hasGroups = filter.candidateGroup !== undefined || filter.candidateGroupIn !== undefined;
  if (filter.candidateUser === undefined && !hasGroups) return [];
  const alternatives: string[] = [];
  if (filter.candidateUser !== undefined) alternatives.push(hasCandidateLink(q, 'user_id', [filter.candidateUser]));
  if (hasGroups) alternatives.push(hasCandidateLink(q, 'group_id', groups));
  const parts = [alternatives.length > 1 ? `(${alternatives.join(' OR ')})` : alternatives[0]!];
  if (!filter.includeAssignedTasks) parts.push('r.assignee IS NULL');
  return parts;
}

export const taskQuery: QueryDef<
  'task',
  
  TaskFilter,
  'id' | 'name' | 'assignee' | 'created' | 'dueDate' | 'followUpDate' | 'priority' | 'instanceId' | 'taskDefinitionKey'
> = {
  table: 'task',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    instanceId: eq('instance_id'),
    instanceIdIn: inList('instance_id'),
    executionId: eq('execution_id'),
    activityInstanceIdIn: inList('activity_instance_id'),
    businessKey: (q, key) => `r.instance_id IN (SELECT p.id FROM cf_process_instance p WHERE p.business_key = ${q.add(key)})`,
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    definitionKeyIn: inList('definition_key'),
    taskDefinitionKey: eq('task_definition_key'),
    taskDefinitionKeyIn: inList('task_definition_key'),
    taskDefinitionKeyLike: likeColumn('task_definition_key'),
    name: eq('name'),
    nameLike: likeColumn('name'),
    assignee: eq('assignee'),
    assigneeIn: inList('assignee'),
    assigneeLike: likeColumn('assignee'),
    owner: eq('owner'),
    unassigned: flag('r.assignee IS NULL'),
    assigned: flag('r.assignee IS NOT NULL'),
    candidateUser: 'combined',
    candidateGroup: 'combined',
    candidateGroupIn: 'combined',
    includeAssignedTasks: 'combined',
    withCandidateGroups: (q, value) => (value ? hasCandidateLink(q, 'group_id') : null),
    withoutCandidateGroups: (q, value) => (value ? `NOT (${hasCandidateLink(q, 'group_id')})` : null),
    withCandidateUsers: (q, value) => (value ? hasCandidateLink(q, 'user_id') : null),
    withoutCandidateUsers: (q, value) => (value ? `NOT (${hasCandidateLink(q, 'user_id')})` : null),
    dueBefore: compare('due_date', '<'),
    dueAfter: compare('due_date', '>'),
    followUpBefore: compare('follow_up_date', '<'),
    followUpAfter: compare('follow_up_date', '>'),
    createdBefore: compare('create_time', '<'),
    createdAfter: compare('create_time', '>'),
    priority: eq('priority'),
    minPriority: compare('priority', '>='),
    maxPriority: compare('priority', '<='),
    suspended: eq('suspended'),
    tenantIdIn,
    withoutTenantId,
    processVariables: variablesExist('v.instance_id = r.instance_id AND v.task_id IS NULL'),
    taskVariables: variablesExist('v.task_id = r.id'),
  },
  combined: candidateConditions,
  sort: {
    id: 'id',
    name: 'name',
    assignee: 'assignee',
    created: 'create_time',
    dueDate: 'due_date',
    followUpDate: 'follow_up_date',
    priority: 'priority',
    instanceId: 'instance_id',
    taskDefinitionKey: 'task_definition_key',
  },
  defaultOrder: [['create_time', 'asc']],
};

export const variableQuery: QueryDef<
  'variable',
  VariableFilter, 'id'> = {
  table: 'variable',
  conditions: {
    instanceIdIn: inList('instance_id'),
    executionIdIn: inList('execution_id'),
    activityInstanceIdIn: inList('activity_instance_id'),
    taskIdIn: inList('task_id'),
    name: eq('name'),
    nameIn: inList('name'),
    nameLike: likeColumn('name'),
    tenantIdIn: (q, ids) => (ids.length ? `r.tenant_id IN ${q.list(ids)}` : FALSE),
    values: (q, conditions) => (conditions.length ? conditions.map((c) => `(${variableCondition(q, 'r', c)})`).join(' AND ') : null),
  },
  sort: { id: 'id' },
  defaultOrder: [['name', 'asc']],
};

/** tenantIdIn of filters without `withoutTenantId`. */
const tenantIdInList = (q: SqlParams, ids: readonly string[]): string => (ids.length ? `r.tenant_id IN ${q.list(ids)}` : FALSE);

export const historicProcessInstanceQuery: QueryDef<
  'historicProcessInstance',
  
  HistoricProcessInstanceFilter,
  'id' | 'startTime' | 'endTime' | 'duration' | 'definitionKey' | 'businessKey'
> = {
  table: 'historicProcessInstance',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    businessKey: eq('business_key'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    superInstanceId: eq('super_instance_id'),
    state: eq('state'),
    finished: flag('r.end_time IS NOT NULL'),
    unfinished: flag('r.end_time IS NULL'),
    startedBefore: compare('start_time', '<='),
    startedAfter: compare('start_time', '>='),
    finishedBefore: compare('end_time', '<='),
    finishedAfter: compare('end_time', '>='),
    tenantIdIn: tenantIdInList,
  },
  sort: {
    id: 'id',
    startTime: 'start_time',
    endTime: 'end_time',
    duration: 'duration_ms',
    definitionKey: 'definition_key',
    businessKey: 'business_key',
  },
  defaultOrder: [['start_time', 'asc']],
};

export const historicActivityInstanceQuery: QueryDef<
  'historicActivityInstance',
  
  HistoricActivityInstanceFilter,
  'id' | 'startTime' | 'endTime' | 'duration' | 'activityId' | 'sequenceCounter' | 'activityName' | 'activityType' | 'instanceId' | 'executionId' | 'definitionId' | 'tenantId'
> = {
  table: 'historicActivityInstance',
  conditions: {
    id: eq('id'),
    instanceId: eq('instance_id'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    executionId: eq('execution_id'),
    activityId: eq('activity_id'),
    activityType: eq('activity_type'),
    taskAssignee: eq('assignee'),
    finished: flag('r.end_time IS NOT NULL'),
    unfinished: flag('r.end_time IS NULL'),
    canceled: (q, value) => (value ? `r.canceled = ${q.add(true)}` : null),
    completeScope: (q, value) => (value ? `r.complete_scope = ${q.add(true)}` : null),
    startedBefore: compare('start_time', '<='),
    startedAfter: compare('start_time', '>='),
    tenantIdIn: tenantIdInList,
  },
  sort: {
    id: 'id',
    startTime: 'start_time',
    endTime: 'end_time',
    duration: 'duration_ms',
    activityId: 'activity_id',
    sequenceCounter: 'sequence_counter',
    activityName: 'activity_name',
    activityType: 'activity_type',
    instanceId: 'instance_id',
    executionId: 'execution_id',
    definitionId: 'definition_id',
    tenantId: 'tenant_id',
  },
  defaultOrder: [
    ['start_time', 'asc'],
    ['sequence_counter', 'asc'],
  ],
};

export const historicTaskInstanceQuery: QueryDef<
  'historicTaskInstance',
  
  HistoricTaskInstanceFilter,
  'id' | 'startTime' | 'endTime' | 'duration' | 'name' | 'assignee'
> = {
  table: 'historicTaskInstance',
  conditions: {
    id: eq('id'),
    instanceId: eq('instance_id'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    taskDefinitionKey: eq('task_definition_key'),
    assignee: eq('assignee'),
    finished: flag('r.end_time IS NOT NULL'),
    unfinished: flag('r.end_time IS NULL'),
    tenantIdIn: tenantIdInList,
  },
  sort: { id: 'id', startTime: 'start_time', endTime: 'end_time', duration: 'duration_ms', name: 'name', assignee: 'assignee' },
  defaultOrder: [['start_time', 'asc']],
};

export const historicVariableInstanceQuery: QueryDef<
  'historicVariableInstance',
  HistoricVariableInstanceFilter, 'id'> = {
  table: 'historicVariableInstance',
  conditions: {
    instanceId: eq('instance_id'),
    instanceIdIn: inList('instance_id'),
    definitionKey: eq('definition_key'),
    executionIdIn: inList('execution_id'),
    activityInstanceIdIn: inList('activity_instance_id'),
    taskIdIn: inList('task_id'),
    name: eq('name'),
    nameLike: likeColumn('name'),
    includeDeleted: 'combined',
    tenantIdIn: tenantIdInList,
  },
  combined: (_q, filter) => (filter.includeDeleted ? [] : [`r.state = 'CREATED'`]),
  sort: { id: 'id' },
  defaultOrder: [['create_time', 'asc']],
};

export const historicDetailQuery: QueryDef<
  'historicDetail',
  HistoricDetailFilter, 'id'> = {
  table: 'historicDetail',
  conditions: {
    instanceId: eq('instance_id'),
    variableInstanceId: eq('variable_instance_id'),
    executionIdIn: inList('execution_id'),
    activityInstanceId: eq('activity_instance_id'),
    taskId: eq('task_id'),
    tenantIdIn: tenantIdInList,
  },
  sort: { id: 'id' },
  defaultOrder: [
    ['time', 'asc'],
    ['revision', 'asc'],
  ],
};

export const historicIncidentQuery: QueryDef<'historicIncident', HistoricIncidentFilter, HistoricIncidentSortField> = {
  table: 'historicIncident',
  conditions: {
    id: eq('id'),
    type: eq('incident_type'),
    message: eq('message'),
    messageLike: likeColumn('message'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    definitionKeyIn: inList('definition_key'),
    instanceId: eq('instance_id'),
    executionId: eq('execution_id'),
    createTimeBefore: compare('create_time', '<='),
    createTimeAfter: compare('create_time', '>='),
    endTimeBefore: compare('end_time', '<='),
    endTimeAfter: compare('end_time', '>='),
    activityId: eq('activity_id'),
    failedActivityId: eq('failed_activity_id'),
    causeIncidentId: eq('cause_incident_id'),
    rootCauseIncidentId: eq('root_cause_incident_id'),
    configuration: eq('configuration'),
    historyConfiguration: eq('history_configuration'),
    // The predicate of the partial index cf_idx_hi_incident_open (migration 0008): SQLite uses it only when the query repeats it.
    open: flag("r.incident_state = 'open'"),
    resolved: flag("r.incident_state = 'resolved'"),
    deleted: flag("r.incident_state = 'deleted'"),
    tenantIdIn,
    withoutTenantId,
    jobDefinitionIdIn: inList('job_definition_id'),
  },
  sort: {
    id: 'id',
    message: 'message',
    createTime: 'create_time',
    endTime: 'end_time',
    type: 'incident_type',
    executionId: 'execution_id',
    activityId: 'activity_id',
    instanceId: 'instance_id',
    definitionId: 'definition_id',
    definitionKey: 'definition_key',
    causeIncidentId: 'cause_incident_id',
    rootCauseIncidentId: 'root_cause_incident_id',
    configuration: 'configuration',
    historyConfiguration: 'history_configuration',
    tenantId: 'tenant_id',
    state: 'incident_state',
  },
  defaultOrder: [['create_time', 'asc']],
};

export const historicJobLogQuery: QueryDef<'historicJobLog', HistoricJobLogFilter, HistoricJobLogSortField> = {
  table: 'historicJobLog',
  conditions: {
    id: eq('id'),
    jobId: eq('job_id'),
    jobExceptionMessage: eq('exception_message'),
    jobDefinitionId: eq('job_definition_id'),
    jobDefinitionType: eq('job_definition_type'),
    jobDefinitionConfiguration: eq('job_definition_configuration'),
    activityIdIn: inList('activity_id'),
    failedActivityIdIn: inList('failed_activity_id'),
    executionIdIn: inList('execution_id'),
    instanceId: eq('instance_id'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    deploymentId: eq('deployment_id'),
    tenantIdIn,
    withoutTenantId,
    hostname: eq('hostname'),
    jobPriorityLowerThanOrEquals: compare('job_priority', '<='),
    jobPriorityHigherThanOrEquals: compare('job_priority', '>='),
    creationLog: flag("r.job_state = 'created'"),
    failureLog: flag("r.job_state = 'failed'"),
    successLog: flag("r.job_state = 'successful'"),
    deletionLog: flag("r.job_state = 'deleted'"),
  },
  sort: {
    timestamp: 'log_time',
    jobId: 'job_id',
    jobDefinitionId: 'job_definition_id',
    jobDueDate: 'job_due_date',
    jobRetries: 'job_retries',
    jobPriority: 'job_priority',
    activityId: 'activity_id',
    executionId: 'execution_id',
    instanceId: 'instance_id',
    definitionId: 'definition_id',
    definitionKey: 'definition_key',
    deploymentId: 'deployment_id',
    hostname: 'hostname',
    // Entry ids are UUIDv7: time-ordered, so they order a job's entries as they were written.
    occurrence: 'id',
    tenantId: 'tenant_id',
  },
  defaultOrder: [['log_time', 'asc']],
};

/** Timer job types share the prefix ('timer-transition', 'timer-start-event', …); everything else is a message job. */
const TIMER_JOB = "r.job_type LIKE 'timer%'";

export const jobQuery: QueryDef<'job', JobFilter, 'id' | 'dueDate' | 'priority' | 'retries' | 'instanceId'> = {
  table: 'job',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    type: eq('job_type'),
    instanceId: eq('instance_id'),
    instanceIdIn: inList('instance_id'),
    executionId: eq('execution_id'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    activityId: eq('activity_id'),
    jobDefinitionId: eq('job_definition_id'),
    executableAt: (q, now) => `${dueAt(q.add(now), 'r.')} AND ${runnable('r.')}`,
    withRetriesLeft: flag('r.retries > 0'),
    noRetriesLeft: flag('r.retries = 0'),
    withException: flag('r.exception_message IS NOT NULL'),
    withoutException: flag('r.exception_message IS NULL'),
    timers: flag(TIMER_JOB),
    messages: flag(`NOT (${TIMER_JOB})`),
    dueBefore: compare('due_date', '<'),
    dueAfter: compare('due_date', '>'),
    suspended: eq('suspended'),
    tenantIdIn,
    withoutTenantId,
  },
  sort: { id: 'id', dueDate: 'due_date', priority: 'priority', retries: 'retries', instanceId: 'instance_id' },
  defaultOrder: [],
};

export const incidentQuery: QueryDef<'incident', IncidentFilter, 'id'> = {
  table: 'incident',
  conditions: {
    id: eq('id'),
    type: eq('incident_type'),
    instanceId: eq('instance_id'),
    instanceIdIn: inList('instance_id'),
    definitionKey: eq('definition_key'),
    executionId: eq('execution_id'),
    definitionId: eq('definition_id'),
    activityId: eq('activity_id'),
    configuration: eq('configuration'),
    jobDefinitionIdIn: inList('job_definition_id'),
    tenantIdIn: tenantIdInList,
  },
  sort: { id: 'id' },
  defaultOrder: [['create_time', 'asc']],
};

export const eventSubscriptionQuery: QueryDef<'eventSubscription', EventSubscriptionFilter, 'id'> = {
  table: 'eventSubscription',
  conditions: {
    id: eq('id'),
    type: eq('event_type'),
    eventName: eq('event_name'),
    instanceId: eq('instance_id'),
    executionId: eq('execution_id'),
    activityId: eq('activity_id'),
    definitionId: eq('definition_id'),
    startEventsOnly: flag('r.instance_id IS NULL'),
    instanceOnly: flag('r.instance_id IS NOT NULL'),
    tenantIdIn: tenantIdInList,
  },
  sort: { id: 'id' },
  defaultOrder: [['create_time', 'asc']],
};

export const externalTaskQuery: QueryDef<'externalTask', ExternalTaskFilter, ExternalTaskSortField> = {
  table: 'externalTask',
  conditions: {
    id: eq('id'),
    idIn: inList('id'),
    topicName: eq('topic_name'),
    workerId: eq('worker_id'),
    lockedAt: (q, now) => `r.lock_expiration > ${q.add(now)}`,
    notLockedAt: (q, now) => `(r.lock_expiration IS NULL OR r.lock_expiration <= ${q.add(now)})`,
    lockExpirationBefore: compare('lock_expiration', '<'),
    lockExpirationAfter: compare('lock_expiration', '>'),
    withRetriesLeft: flag('(r.retries IS NULL OR r.retries > 0)'),
    noRetriesLeft: flag('r.retries = 0'),
    instanceId: eq('instance_id'),
    instanceIdIn: inList('instance_id'),
    activityId: eq('activity_id'),
    activityIdIn: inList('activity_id'),
    executionId: eq('execution_id'),
    definitionId: eq('definition_id'),
    definitionKey: eq('definition_key'),
    suspended: eq('suspended'),
    tenantIdIn,
    withoutTenantId,
    priorityHigherThanOrEquals: compare('priority', '>='),
    priorityLowerThanOrEquals: compare('priority', '<='),
  },
  sort: {
    id: 'id',
    lockExpiration: 'lock_expiration',
    instanceId: 'instance_id',
    definitionId: 'definition_id',
    definitionKey: 'definition_key',
    tenantId: 'tenant_id',
    priority: 'priority',
    createTime: 'create_time',
  },
  defaultOrder: [['create_time', 'asc']],
};

export const bufferedMessageQuery: QueryDef<'bufferedMessage', BufferedMessageFilter, BufferedMessageSortField> = {
  table: 'bufferedMessage',
  conditions: {
    id: eq('id'),
    messageName: eq('message_name'),
    messageNameIn: inList('message_name'),
    businessKey: eq('business_key'),
    processInstanceId: eq('process_instance_id'),
    liveAt: compare('expires_at', '>'),
    expiredAt: compare('expires_at', '<='),
    tenantIdIn: tenantIdInList,
  },
  sort: { id: 'id', createTime: 'create_time', expiresAt: 'expires_at' },
  defaultOrder: [['create_time', 'asc']],
};

/** ` WHERE …` of a filter over the query's table aliased `r` (empty when it selects every row), its parameters added to `q`. */
export function whereClause<F>(def: QueryDef<TableName, F, string>, filter: F, q: SqlParams): string {
  const parts: string[] = [];
  for (const key of Object.keys(filter as object) as (keyof F & string)[]) {
    const value = filter[key];
    const condition = def.conditions[key];
    // Unknown keys are ignored: filters often arrive straight from a request.
    if (value === undefined || value === null || condition === undefined || condition === 'combined') continue;
    const sql = condition(q, value as NonNullable<F[typeof key]>, filter);
    if (sql !== null) parts.push(sql);
  }
  if (def.combined) parts.push(...def.combined(q, filter));
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

export function buildFind<F, S extends string>(
  def: QueryDef<TableName, F, S>,
  filter: F,
  dialect: Dialect,
  page?: Page,
  sort?: readonly Sorting<S>[],
): Statement {
  const q = new SqlParams(dialect);
  const where = whereClause(def, filter, q);
  const order: string[] = [];
  const seen = new Set<string>();
  const orderBy = (column: string, direction: 'asc' | 'desc') => {
    if (seen.has(column)) return;
    seen.add(column);
    order.push(`r.${column} ${direction.toUpperCase()}${dialect.nulls(direction)}`);
  };
  if (sort?.length) {
    for (const s of sort) {
      const column = def.sort[s.by];
      if (!column) throw new BadUserInputError(`Cannot sort by '${String(s.by)}'`, 'sorting');
      orderBy(column, s.order === 'desc' ? 'desc' : 'asc');
    }
  } else {
    for (const [column, direction] of def.defaultOrder) orderBy(column, direction);
  }
  // The id makes paging deterministic.
  orderBy('id', 'asc');
  let sql = `SELECT r.* FROM ${codecs[def.table].sqlName} r${where} ORDER BY ${order.join(', ')}`;
  const first = page?.firstResult ?? 0;
  const max = page?.maxResults;
  if (first > 0 || max !== undefined) {
    sql += ` LIMIT ${q.add(max === undefined ? dialect.noLimit : Math.max(0, Math.floor(max)))} OFFSET ${q.add(Math.max(0, Math.floor(first)))}`;
  }
  return { sql, params: q.values };
}

export function buildCount<F>(def: QueryDef<TableName, F, string>, filter: F, dialect: Dialect): Statement {
  const q = new SqlParams(dialect);
  const where = whereClause(def, filter, q);
  return { sql: `SELECT COUNT(*) AS n FROM ${codecs[def.table].sqlName} r${where}`, params: q.values };
}
