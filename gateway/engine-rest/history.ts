/**
 * `/history/…`: historic process instances, activity instances, tasks,
 * variable instances, variable-update details, incidents and the job log.
 * Camunda's HistoryRestService resources.
 */
import type {
  Engine,
  HistoricActivityInstanceFilter,
  HistoricActivityInstanceRow,
  HistoricDetailFilter,
  HistoricDetailRow,
  HistoricIncidentFilter,
  HistoricIncidentRow,
  HistoricIncidentSortField,
  HistoricJobLogFilter,
  HistoricJobLogRow,
  HistoricJobLogSortField,
  HistoricProcessInstanceFilter,
  HistoricProcessInstanceRow,
  HistoricTaskInstanceFilter,
  HistoricTaskInstanceRow,
  HistoricVariableInstanceFilter,
  HistoricVariableInstanceRow,
  InstanceState,
} from '../../engine/index.js';
import { scopeToTenants, visible } from '../../schema/access.js';
import { invalidRequest, unsupported } from './errors.js';
import { formatDate } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, queryParams, rejectUnsupported, type Params } from './params.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';
import { deserializeParam, toVariableValueDto } from './variables.js';

// ------------------------------------------------------------ process instances

const PROCESS_SORT = {
  instanceId: 'id',
  definitionKey: 'definitionKey',
  businessKey: 'businessKey',
  startTime: 'startTime',
  endTime: 'endTime',
  duration: 'duration',
  definitionId: null,
  definitionName: null,
  definitionVersion: null,
  tenantId: null,
} as const;

/** Camunda's state flags, each selecting one state. */
/** The one of `names` the request sets, or null; several at once are refused, as Camunda refuses them. */
function onlyOneFlag<N extends string>(p: Params, names: readonly N[]): N | null {
  const set = names.filter((name) => flag(p, name));
  if (set.length > 1) throw invalidRequest(400, `Only one of ${names.join(', ')} can be set`);
  return set[0] ?? null;
}

const STATE_FLAGS: Record<string, InstanceState> = {
  active: 'ACTIVE',
  suspended: 'SUSPENDED',
  completed: 'COMPLETED',
  externallyTerminated: 'EXTERNALLY_TERMINATED',
  internallyTerminated: 'INTERNALLY_TERMINATED',
};

function historicProcessInstanceDto(h: HistoricProcessInstanceRow) {
  return {
    id: h.id,
    businessKey: h.businessKey,
    processDefinitionId: h.definitionId,
    processDefinitionKey: h.definitionKey,
    processDefinitionName: h.definitionName,
    processDefinitionVersion: h.definitionVersion,
    startTime: formatDate(h.startTime),
    endTime: formatDate(h.endTime),
    removalTime: formatDate(h.removalTime),
    durationInMillis: h.durationMs,
    startUserId: h.startUserId,
    startActivityId: h.startActivityId,
    endActivityId: h.endActivityId,
    deleteReason: h.deleteReason,
    rootProcessInstanceId: h.rootInstanceId,
    superProcessInstanceId: h.superInstanceId,
    superCaseInstanceId: null,
    caseInstanceId: null,
    tenantId: h.tenantId,
    state: h.state,
  };
}

function processFilter(p: Params): HistoricProcessInstanceFilter {
  rejectUnsupported(p, [
    'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyLike', 'processDefinitionName', 'processDefinitionNameLike',
    'processDefinitionKeyIn', 'processDefinitionKeyNotIn', 'subProcessInstanceId', 'superCaseInstanceId', 'subCaseInstanceId', 'caseInstanceId',
    'withIncidents', 'withRootIncidents', 'incidentType', 'incidentStatus', 'incidentMessage', 'incidentMessageLike', 'executedActivityAfter',
    'executedActivityBefore', 'executedActivityIdIn', 'activeActivityIdIn', 'executedJobAfter', 'executedJobBefore', 'startedBy',
    'rootProcessInstances', 'withoutTenantId', 'variables', 'orQueries',
  ]);
  const state = onlyOneFlag(p, Object.keys(STATE_FLAGS));
  return compact({
    id: p.string('processInstanceId'),
    idIn: p.list('processInstanceIds'),
    businessKey: p.string('processInstanceBusinessKey'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    superInstanceId: p.string('superProcessInstanceId'),
    state: state === null ? undefined : STATE_FLAGS[state],
    finished: flag(p, 'finished'),
    unfinished: flag(p, 'unfinished'),
    startedBefore: p.date('startedBefore'),
    startedAfter: p.date('startedAfter'),
    finishedBefore: p.date('finishedBefore'),
    finishedAfter: p.date('finishedAfter'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

// ------------------------------------------------------------ activity instances

const ACTIVITY_SORT = {
  activityInstanceId: 'id',
  activityId: 'activityId',
  startTime: 'startTime',
  endTime: 'endTime',
  duration: 'duration',
  occurrence: 'sequenceCounter',
  instanceId: 'instanceId',
  executionId: 'executionId',
  activityName: 'activityName',
  activityType: 'activityType',
  definitionId: 'definitionId',
  tenantId: 'tenantId',
} as const;

/** Historic rows other than the process instance's lack the root instance id: looked up per page. */
async function rootIdsOf(engine: Engine, instanceIds: Iterable<string>): Promise<Map<string, string>> {
  const idIn = [...new Set(instanceIds)];
  if (idIn.length === 0) return new Map();
  const rows = await engine.findHistoricProcessInstances({ idIn });
  return new Map(rows.map((h) => [h.id, h.rootInstanceId]));
}

function historicActivityInstanceDto(a: HistoricActivityInstanceRow, roots: Map<string, string>) {
  return {
    id: a.id,
    parentActivityInstanceId: a.parentActivityInstanceId,
    activityId: a.activityId,
    activityName: a.activityName,
    activityType: a.activityType,
    processDefinitionKey: a.definitionKey,
    processDefinitionId: a.definitionId,
    processInstanceId: a.instanceId,
    executionId: a.executionId,
    taskId: a.taskId,
    calledProcessInstanceId: a.calledProcessInstanceId,
    calledCaseInstanceId: null,
    assignee: a.assignee,
    startTime: formatDate(a.startTime),
    endTime: formatDate(a.endTime),
    durationInMillis: a.durationMs,
    canceled: a.canceled,
    completeScope: a.completeScope,
    tenantId: a.tenantId,
    removalTime: formatDate(a.removalTime),
    rootProcessInstanceId: roots.get(a.instanceId) ?? null,
  };
}

function activityFilter(p: Params): HistoricActivityInstanceFilter {
  rejectUnsupported(p, ['activityIdIn', 'activityTypeIn', 'activityName', 'activityNameLike', 'processDefinitionKey', 'finishedBefore', 'finishedAfter', 'incidentType', 'withoutTenantId']);
  return compact({
    id: p.string('activityInstanceId'),
    instanceId: p.string('processInstanceId'),
    definitionId: p.string('processDefinitionId'),
    executionId: p.string('executionId'),
    activityId: p.string('activityId'),
    activityType: p.string('activityType'),
    taskAssignee: p.string('taskAssignee'),
    finished: flag(p, 'finished'),
    unfinished: flag(p, 'unfinished'),
    canceled: flag(p, 'canceled'),
    completeScope: flag(p, 'completeScope'),
    startedBefore: p.date('startedBefore'),
    startedAfter: p.date('startedAfter'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

// ------------------------------------------------------------ tasks

const TASK_SORT = {
  taskId: 'id',
  startTime: 'startTime',
  endTime: 'endTime',
  duration: 'duration',
  taskName: 'name',
  assignee: 'assignee',
  activityInstanceId: null,
  processDefinitionId: null,
  processInstanceId: null,
  executionId: null,
  taskDescription: null,
  owner: null,
  dueDate: null,
  followUpDate: null,
  deleteReason: null,
  taskDefinitionKey: null,
  priority: null,
  caseDefinitionId: null,
  caseInstanceId: null,
  caseExecutionId: null,
  tenantId: null,
} as const;

function historicTaskDto(t: HistoricTaskInstanceRow, roots: Map<string, string>) {
  return {
    id: t.id,
    processDefinitionKey: t.definitionKey,
    processDefinitionId: t.definitionId,
    processInstanceId: t.instanceId,
    executionId: t.executionId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: t.activityInstanceId,
    name: t.name,
    description: t.description,
    deleteReason: t.deleteReason,
    owner: t.owner,
    assignee: t.assignee,
    startTime: formatDate(t.startTime),
    endTime: formatDate(t.endTime),
    duration: t.durationMs,
    taskDefinitionKey: t.taskDefinitionKey,
    priority: t.priority,
    due: formatDate(t.dueDate),
    parentTaskId: null,
    followUp: formatDate(t.followUpDate),
    tenantId: t.tenantId,
    removalTime: formatDate(t.removalTime),
    rootProcessInstanceId: roots.get(t.instanceId) ?? null,
  };
}

function taskFilter(p: Params): HistoricTaskInstanceFilter {
  rejectUnsupported(p, [
    'taskParentTaskId', 'processInstanceBusinessKey', 'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyLike', 'executionId',
    'activityInstanceIdIn', 'processDefinitionName', 'taskName', 'taskNameLike', 'taskDescription', 'taskDescriptionLike',
    'taskDefinitionKeyIn', 'taskDeleteReason', 'taskDeleteReasonLike', 'taskAssigneeLike', 'taskOwner', 'taskOwnerLike', 'taskPriority',
    'assigned', 'unassigned', 'processFinished', 'processUnfinished', 'taskDueDate', 'taskDueDateBefore', 'taskDueDateAfter',
    'withoutTaskDueDate', 'taskFollowUpDate', 'taskFollowUpDateBefore', 'taskFollowUpDateAfter', 'startedBefore', 'startedAfter',
    'finishedBefore', 'finishedAfter', 'taskInvolvedUser', 'taskInvolvedGroup', 'taskHadCandidateUser', 'taskHadCandidateGroup',
    'withCandidateGroups', 'withoutCandidateGroups', 'taskVariables', 'processVariables', 'withoutTenantId', 'orQueries',
  ]);
  return compact({
    id: p.string('taskId'),
    instanceId: p.string('processInstanceId'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    taskDefinitionKey: p.string('taskDefinitionKey'),
    assignee: p.string('taskAssignee'),
    finished: flag(p, 'finished'),
    unfinished: flag(p, 'unfinished'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

// ------------------------------------------------------------ variables and details

function historicVariableDto(v: HistoricVariableInstanceRow, roots: Map<string, string>, deserialize: boolean) {
  return {
    id: v.id,
    name: v.name,
    ...toVariableValueDto(v.value, deserialize),
    processDefinitionKey: v.definitionKey,
    processDefinitionId: v.definitionId,
    processInstanceId: v.instanceId,
    executionId: v.executionId,
    activityInstanceId: v.activityInstanceId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: v.taskId,
    tenantId: v.tenantId,
    errorMessage: null,
    state: v.state,
    createTime: formatDate(v.createTime),
    removalTime: formatDate(v.removalTime),
    rootProcessInstanceId: roots.get(v.instanceId) ?? null,
  };
}

function variableFilter(p: Params): HistoricVariableInstanceFilter {
  rejectUnsupported(p, ['variableValue', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase', 'variableTypeIn', 'processDefinitionId', 'processDefinitionKey', 'caseInstanceId', 'caseExecutionIdIn', 'caseActivityIdIn', 'variableNameIn', 'withoutTenantId']);
  return compact({
    instanceId: p.string('processInstanceId'),
    instanceIdIn: p.list('processInstanceIdIn'),
    executionIdIn: p.list('executionIdIn'),
    activityInstanceIdIn: p.list('activityInstanceIdIn'),
    taskIdIn: p.list('taskIdIn'),
    name: p.string('variableName'),
    nameLike: p.string('variableNameLike'),
    includeDeleted: flag(p, 'includeDeleted'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

function historicDetailDto(d: HistoricDetailRow, roots: Map<string, string>, deserialize: boolean) {
  const { type: variableType, value, valueInfo } = toVariableValueDto(d.value, deserialize);
  return {
    type: 'variableUpdate',
    id: d.id,
    processDefinitionKey: d.definitionKey,
    processDefinitionId: d.definitionId,
    processInstanceId: d.instanceId,
    activityInstanceId: d.activityInstanceId,
    executionId: d.executionId,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: d.taskId,
    tenantId: d.tenantId,
    userOperationId: null,
    time: formatDate(d.time),
    removalTime: formatDate(d.removalTime),
    rootProcessInstanceId: roots.get(d.instanceId) ?? null,
    variableName: d.name,
    variableInstanceId: d.variableInstanceId,
    variableType,
    value,
    valueInfo,
    initial: d.revision === 0,
    revision: d.revision,
    errorMessage: null,
  };
}

function detailFilter(p: Params): HistoricDetailFilter | null {
  rejectUnsupported(p, ['processInstanceIdIn', 'caseInstanceId', 'caseExecutionId', 'userOperationId', 'occurredBefore', 'occurredAfter', 'initialScope']);
  if (p.string('sortBy') !== undefined) throw unsupported(`Sorting historic details`);
  // Only variable updates are recorded; asking for form fields alone finds none.
  if (flag(p, 'formFields') && !flag(p, 'variableUpdates')) return null;
  if (flag(p, 'excludeTaskDetails')) throw unsupported(`The filter 'excludeTaskDetails'`);
  const executionId = p.string('executionId');
  return compact({
    instanceId: p.string('processInstanceId'),
    variableInstanceId: p.string('variableInstanceId'),
    executionIdIn: executionId !== undefined ? [executionId] : undefined,
    activityInstanceId: p.string('activityInstanceId'),
    taskId: p.string('taskId'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

// ------------------------------------------------------------ incidents

const INCIDENT_SORT: Record<string, HistoricIncidentSortField> = {
  incidentId: 'id',
  incidentMessage: 'message',
  createTime: 'createTime',
  endTime: 'endTime',
  incidentType: 'type',
  executionId: 'executionId',
  activityId: 'activityId',
  processInstanceId: 'instanceId',
  processDefinitionId: 'definitionId',
  processDefinitionKey: 'definitionKey',
  causeIncidentId: 'causeIncidentId',
  rootCauseIncidentId: 'rootCauseIncidentId',
  configuration: 'configuration',
  historyConfiguration: 'historyConfiguration',
  tenantId: 'tenantId',
  incidentState: 'state',
};

/** Camunda's state flags; its query takes one state at most. */
const INCIDENT_STATE_FLAGS = ['open', 'resolved', 'deleted'] as const;

/** Camunda's HistoricIncidentDto. */
function historicIncidentDto(i: HistoricIncidentRow) {
  return {
    id: i.id,
    processDefinitionKey: i.definitionKey,
    processDefinitionId: i.definitionId,
    processInstanceId: i.instanceId,
    executionId: i.executionId,
    rootProcessInstanceId: i.rootInstanceId,
    createTime: formatDate(i.createTime),
    endTime: formatDate(i.endTime),
    removalTime: formatDate(i.removalTime),
    incidentType: i.type,
    activityId: i.activityId,
    failedActivityId: i.failedActivityId,
    causeIncidentId: i.causeIncidentId,
    rootCauseIncidentId: i.rootCauseIncidentId,
    configuration: i.configuration,
    historyConfiguration: i.historyConfiguration,
    incidentMessage: i.message,
    tenantId: i.tenantId,
    jobDefinitionId: i.jobDefinitionId,
    open: i.state === 'open',
    deleted: i.state === 'deleted',
    resolved: i.state === 'resolved',
    annotation: i.annotation,
  };
}

function incidentFilter(p: Params): HistoricIncidentFilter {
  onlyOneFlag(p, INCIDENT_STATE_FLAGS);
  return compact({
    id: p.string('incidentId'),
    type: p.string('incidentType'),
    message: p.string('incidentMessage'),
    messageLike: p.string('incidentMessageLike'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    definitionKeyIn: p.list('processDefinitionKeyIn'),
    instanceId: p.string('processInstanceId'),
    executionId: p.string('executionId'),
    createTimeBefore: p.date('createTimeBefore'),
    createTimeAfter: p.date('createTimeAfter'),
    endTimeBefore: p.date('endTimeBefore'),
    endTimeAfter: p.date('endTimeAfter'),
    activityId: p.string('activityId'),
    failedActivityId: p.string('failedActivityId'),
    causeIncidentId: p.string('causeIncidentId'),
    rootCauseIncidentId: p.string('rootCauseIncidentId'),
    configuration: p.string('configuration'),
    historyConfiguration: p.string('historyConfiguration'),
    open: flag(p, 'open'),
    resolved: flag(p, 'resolved'),
    deleted: flag(p, 'deleted'),
    tenantIdIn: p.list('tenantIdIn'),
    withoutTenantId: flag(p, 'withoutTenantId'),
    jobDefinitionIdIn: p.list('jobDefinitionIdIn'),
  });
}

// ------------------------------------------------------------ job log

const JOB_LOG_SORT: Record<string, HistoricJobLogSortField> = {
  timestamp: 'timestamp',
  jobId: 'jobId',
  jobDefinitionId: 'jobDefinitionId',
  jobDueDate: 'jobDueDate',
  jobRetries: 'jobRetries',
  jobPriority: 'jobPriority',
  activityId: 'activityId',
  executionId: 'executionId',
  processInstanceId: 'instanceId',
  processDefinitionId: 'definitionId',
  processDefinitionKey: 'definitionKey',
  deploymentId: 'deploymentId',
  hostname: 'hostname',
  occurrence: 'occurrence',
  tenantId: 'tenantId',
};

/** Camunda's state flags; this query takes one at most, as the historic incidents' does. */
const JOB_LOG_STATE_FLAGS = ['creationLog', 'failureLog', 'successLog', 'deletionLog'] as const;

/** Camunda's HistoricJobLogDto. */
function historicJobLogDto(l: HistoricJobLogRow) {
  return {
    id: l.id,
    timestamp: formatDate(l.timestamp),
    removalTime: formatDate(l.removalTime),
    jobId: l.jobId,
    jobDueDate: formatDate(l.jobDueDate),
    jobRetries: l.jobRetries,
    jobPriority: l.jobPriority,
    jobExceptionMessage: l.jobExceptionMessage,
    failedActivityId: l.failedActivityId,
    jobDefinitionId: l.jobDefinitionId,
    jobDefinitionType: l.jobDefinitionType,
    jobDefinitionConfiguration: l.jobDefinitionConfiguration,
    activityId: l.activityId,
    executionId: l.executionId,
    processInstanceId: l.instanceId,
    processDefinitionId: l.definitionId,
    processDefinitionKey: l.definitionKey,
    deploymentId: l.deploymentId,
    rootProcessInstanceId: l.rootInstanceId,
    tenantId: l.tenantId,
    hostname: l.hostname,
    creationLog: l.state === 'created',
    failureLog: l.state === 'failed',
    successLog: l.state === 'successful',
    deletionLog: l.state === 'deleted',
  };
}

function jobLogFilter(p: Params): HistoricJobLogFilter {
  onlyOneFlag(p, JOB_LOG_STATE_FLAGS);
  return compact({
    id: p.string('logId'),
    jobId: p.string('jobId'),
    jobExceptionMessage: p.string('jobExceptionMessage'),
    jobDefinitionId: p.string('jobDefinitionId'),
    jobDefinitionType: p.string('jobDefinitionType'),
    jobDefinitionConfiguration: p.string('jobDefinitionConfiguration'),
    activityIdIn: p.list('activityIdIn'),
    failedActivityIdIn: p.list('failedActivityIdIn'),
    executionIdIn: p.list('executionIdIn'),
    instanceId: p.string('processInstanceId'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    deploymentId: p.string('deploymentId'),
    tenantIdIn: p.list('tenantIdIn'),
    withoutTenantId: flag(p, 'withoutTenantId'),
    hostname: p.string('hostname'),
    jobPriorityLowerThanOrEquals: p.integer('jobPriorityLowerThanOrEquals'),
    jobPriorityHigherThanOrEquals: p.integer('jobPriorityHigherThanOrEquals'),
    creationLog: flag(p, 'creationLog'),
    failureLog: flag(p, 'failureLog'),
    successLog: flag(p, 'successLog'),
    deletionLog: flag(p, 'deletionLog'),
  });
}

/** The entry, or null when missing or of a tenant the caller may not see. */
async function findJobLog(r: RestRequest, id: string): Promise<HistoricJobLogRow | null> {
  return visible(r.access, (await r.engine.findHistoricJobLogs({ id }))[0]);
}

// ------------------------------------------------------------ routes

export function registerHistoryRoutes(router: Router): void {
  const processList = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, processFilter(p));
    const sort = sortingOf(p.sorting(), PROCESS_SORT);
    return listPage(r, async (page) => (await r.engine.findHistoricProcessInstances(filter, page, sort)).map(historicProcessInstanceDto));
  };
  const processCount = async (r: RestRequest) => countOf(await r.engine.store.countHistoricProcessInstances(scopeToTenants(r.access, processFilter(await filtersOf(r)))));
  router.get('/history/process-instance', 'READ', processList).post('/history/process-instance', 'READ', processList);
  router.get('/history/process-instance/count', 'READ', processCount).post('/history/process-instance/count', 'READ', processCount);
  router.get('/history/process-instance/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const h = visible(r.access, (await r.engine.findHistoricProcessInstances({ id }))[0]);
    if (!h) throw invalidRequest(404, `Historic process instance with id ${id} does not exist`);
    return ok(historicProcessInstanceDto(h));
  });

  const activityList = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, activityFilter(p));
    const sort = sortingOf(p.sorting(), ACTIVITY_SORT);
    return listPage(r, async (page) => {
      const rows = await r.engine.findHistoricActivityInstances(filter, page, sort);
      const roots = await rootIdsOf(r.engine, rows.map((a) => a.instanceId));
      return rows.map((a) => historicActivityInstanceDto(a, roots));
    });
  };
  const activityCount = async (r: RestRequest) => countOf(await r.engine.store.countHistoricActivityInstances(scopeToTenants(r.access, activityFilter(await filtersOf(r)))));
  router.get('/history/activity-instance', 'READ', activityList).post('/history/activity-instance', 'READ', activityList);
  router.get('/history/activity-instance/count', 'READ', activityCount).post('/history/activity-instance/count', 'READ', activityCount);
  router.get('/history/activity-instance/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const a = visible(r.access, (await r.engine.findHistoricActivityInstances({ id }))[0]);
    if (!a) throw invalidRequest(404, `Historic activity instance with id ${id} does not exist`);
    return ok(historicActivityInstanceDto(a, await rootIdsOf(r.engine, [a.instanceId])));
  });

  const taskList = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, taskFilter(p));
    const sort = sortingOf(p.sorting(), TASK_SORT);
    return listPage(r, async (page) => {
      const rows = await r.engine.findHistoricTaskInstances(filter, page, sort);
      const roots = await rootIdsOf(r.engine, rows.map((t) => t.instanceId));
      return rows.map((t) => historicTaskDto(t, roots));
    });
  };
  const taskCount = async (r: RestRequest) => countOf(await r.engine.store.countHistoricTaskInstances(scopeToTenants(r.access, taskFilter(await filtersOf(r)))));
  router.get('/history/task', 'READ', taskList).post('/history/task', 'READ', taskList);
  router.get('/history/task/count', 'READ', taskCount).post('/history/task/count', 'READ', taskCount);

  const variableList = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, variableFilter(p));
    sortingOf(p.sorting(), { instanceId: null, variableName: null, tenantId: null });
    const deserialize = deserializeParam(r.query);
    return listPage(r, async (page) => {
      const rows = await r.engine.findHistoricVariableInstances(filter, page);
      const roots = await rootIdsOf(r.engine, rows.map((v) => v.instanceId));
      return rows.map((v) => historicVariableDto(v, roots, deserialize));
    });
  };
  const variableCount = async (r: RestRequest) => countOf(await r.engine.store.countHistoricVariableInstances(scopeToTenants(r.access, variableFilter(await filtersOf(r)))));
  router.get('/history/variable-instance', 'READ', variableList).post('/history/variable-instance', 'READ', variableList);
  router.get('/history/variable-instance/count', 'READ', variableCount).post('/history/variable-instance/count', 'READ', variableCount);

  // Camunda serves historic incidents by GET only.
  router.get('/history/incident', 'READ', async (r) => {
    const p = queryParams(r.query);
    const filter = scopeToTenants(r.access, incidentFilter(p));
    const sort = sortingOf(p.sorting(), INCIDENT_SORT);
    return listPage(r, async (page) => (await r.engine.findHistoricIncidents(filter, page, sort)).map(historicIncidentDto));
  });
  router.get('/history/incident/count', 'READ', async (r) => countOf(await r.engine.countHistoricIncidents(scopeToTenants(r.access, incidentFilter(queryParams(r.query))))));

  const jobLogList = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, jobLogFilter(p));
    const sort = sortingOf(p.sorting(), JOB_LOG_SORT);
    return listPage(r, async (page) => (await r.engine.findHistoricJobLogs(filter, page, sort)).map(historicJobLogDto));
  };
  const jobLogCount = async (r: RestRequest) => countOf(await r.engine.countHistoricJobLogs(scopeToTenants(r.access, jobLogFilter(await filtersOf(r)))));
  router.get('/history/job-log', 'READ', jobLogList).post('/history/job-log', 'READ', jobLogList);
  router.get('/history/job-log/count', 'READ', jobLogCount).post('/history/job-log/count', 'READ', jobLogCount);
  router.get('/history/job-log/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const entry = await findJobLog(r, id);
    if (!entry) throw invalidRequest(404, `Historic job log with id ${id} does not exist`);
    return ok(historicJobLogDto(entry));
  });
  router.get('/history/job-log/:id/stacktrace', 'READ', async (r) => {
    const id = r.params['id']!;
    const entry = await findJobLog(r, id);
    if (!entry) throw invalidRequest(404, `No historic job log found with id ${id}`);
    // Stack-free failure details, as the job's own stacktrace; an entry that records no failure has none.
    if (entry.jobExceptionStacktrace === null) return noContent();
    return { status: 200, raw: { data: entry.jobExceptionStacktrace, contentType: 'text/plain; charset=utf-8' } };
  });

  router.get('/history/detail', 'READ', async (r) => {
    const p = await filtersOf(r);
    const unscoped = detailFilter(p);
    const filter = unscoped && scopeToTenants(r.access, unscoped);
    const deserialize = deserializeParam(r.query);
    return listPage(r, async (page) => {
      if (!filter) return [];
      const rows = await r.engine.findHistoricDetails(filter, page);
      const roots = await rootIdsOf(r.engine, rows.map((d) => d.instanceId));
      return rows.map((d) => historicDetailDto(d, roots, deserialize));
    });
  });
}
