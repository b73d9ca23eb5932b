/**
 * `/task`: query (GET and POST), single tasks, claim/unclaim/assignee,
 * complete and submit-form, variables and local variables, form variables,
 * identity links. Camunda's TaskRestService and TaskResource.
 */
import type { TaskFilter, TaskRow } from '../../engine/index.js';
import { hideOtherTenants, requireTaskWork, scopeToTenants, visible } from '../../schema/access.js';
import { invalidRequest, unsupported, withContext } from './errors.js';
import { asObject, formatDate, optionalBoolean, optionalString } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, rejectUnsupported, suspension, type Params } from './params.js';
import { noContent, ok, type RestRequest, type RestResponse, type RouteAccess, type Router } from './router.js';
import { registerVariableRoutes } from './variable-resource.js';
import { deserializeParam, fromVariableMapDto, toVariableMapDto } from './variables.js';

const SORT = {
  instanceId: 'instanceId',
  dueDate: 'dueDate',
  followUpDate: 'followUpDate',
  id: 'id',
  name: 'name',
  assignee: 'assignee',
  created: 'created',
  priority: 'priority',
  taskDefinitionKey: 'taskDefinitionKey',
  caseInstanceId: null,
  executionId: null,
  caseExecutionId: null,
  lastUpdated: null,
  description: null,
  nameCaseInsensitive: null,
  processVariable: null,
  executionVariable: null,
  taskVariable: null,
  caseExecutionVariable: null,
  caseInstanceVariable: null,
} as const;

const UNSUPPORTED_FILTERS = [
  'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyLike', 'processDefinitionName', 'processDefinitionNameLike',
  'caseInstanceId', 'caseInstanceBusinessKey', 'caseInstanceBusinessKeyLike', 'caseDefinitionId', 'caseDefinitionKey', 'caseDefinitionName',
  'caseDefinitionNameLike', 'caseExecutionId', 'nameNotEqual', 'nameNotLike', 'description', 'descriptionLike', 'assigneeExpression',
  'assigneeLikeExpression', 'assigneeNotIn', 'ownerExpression', 'involvedUser', 'involvedUserExpression', 'candidateGroupExpression',
  'candidateUserExpression', 'candidateGroupLike', 'candidateGroupsExpression', 'dueDate', 'dueDateExpression', 'dueBeforeExpression',
  'dueAfterExpression', 'withoutDueDate', 'followUpDate', 'followUpDateExpression', 'followUpBeforeExpression',
  'followUpBeforeOrNotExistent', 'followUpBeforeOrNotExistentExpression', 'followUpAfterExpression', 'createdOn', 'createdOnExpression',
  'createdBeforeExpression', 'createdAfterExpression', 'updatedAfter', 'updatedAfterExpression', 'delegationState', 'parentTaskId',
  'caseInstanceVariables', 'orQueries', 'taskDefinitionKeyNotIn', 'processDefinitionIdIn', 'activityIdIn',
];

/** Camunda's TaskDto. */
export function taskDto(t: TaskRow) {
  return {
    id: t.id,
    name: t.name,
    assignee: t.assignee,
    owner: t.owner,
    created: formatDate(t.createTime),
    lastUpdated: null,
    due: formatDate(t.dueDate),
    followUp: formatDate(t.followUpDate),
    delegationState: null,
    description: t.description,
    executionId: t.executionId,
    parentTaskId: null,
    priority: t.priority,
    processDefinitionId: t.definitionId,
    processInstanceId: t.instanceId,
    caseExecutionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    taskDefinitionKey: t.taskDefinitionKey,
    suspended: t.suspended,
    formKey: t.formKey,
    camundaFormRef: null,
    tenantId: t.tenantId,
  };
}

function taskFilter(p: Params): TaskFilter {
  rejectUnsupported(p, UNSUPPORTED_FILTERS);
  if (flag(p, 'variableNamesIgnoreCase') || flag(p, 'variableValuesIgnoreCase')) throw unsupported('Case-insensitive variable filters');
  return compact({
    id: p.string('taskId'),
    idIn: p.list('taskIdIn'),
    instanceId: p.string('processInstanceId'),
    instanceIdIn: p.list('processInstanceIdIn'),
    executionId: p.string('executionId'),
    activityInstanceIdIn: p.list('activityInstanceIdIn'),
    businessKey: p.string('processInstanceBusinessKey'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    definitionKeyIn: p.list('processDefinitionKeyIn'),
    taskDefinitionKey: p.string('taskDefinitionKey'),
    taskDefinitionKeyIn: p.list('taskDefinitionKeyIn'),
    taskDefinitionKeyLike: p.string('taskDefinitionKeyLike'),
    name: p.string('name'),
    nameLike: p.string('nameLike'),
    assignee: p.string('assignee'),
    assigneeIn: p.list('assigneeIn'),
    assigneeLike: p.string('assigneeLike'),
    owner: p.string('owner'),
    unassigned: flag(p, 'unassigned'),
    assigned: flag(p, 'assigned'),
    candidateUser: p.string('candidateUser'),
    candidateGroup: p.string('candidateGroup'),
    candidateGroupIn: p.list('candidateGroups'),
    includeAssignedTasks: flag(p, 'includeAssignedTasks'),
    withCandidateGroups: flag(p, 'withCandidateGroups'),
    withoutCandidateGroups: flag(p, 'withoutCandidateGroups'),
    withCandidateUsers: flag(p, 'withCandidateUsers'),
    withoutCandidateUsers: flag(p, 'withoutCandidateUsers'),
    dueBefore: p.date('dueBefore'),
    dueAfter: p.date('dueAfter'),
    followUpBefore: p.date('followUpBefore'),
    followUpAfter: p.date('followUpAfter'),
    createdBefore: p.date('createdBefore'),
    createdAfter: p.date('createdAfter'),
    priority: p.integer('priority'),
    minPriority: p.integer('minPriority'),
    maxPriority: p.integer('maxPriority'),
    suspended: suspension(p),
    tenantIdIn: p.list('tenantIdIn'),
    withoutTenantId: flag(p, 'withoutTenantId'),
    processVariables: p.variables('processVariables'),
    taskVariables: p.variables('taskVariables'),
  });
}

async function taskOr404(r: RestRequest, id: string): Promise<TaskRow> {
  const t = visible(r.access, await r.engine.getTask(id));
  if (!t) throw invalidRequest(404, `No matching task with id ${id}`);
  return t;
}

/** A task of a tenant the caller may not see fails as the engine fails for a missing one; a missing task is left to the engine. */
async function guardTask(r: RestRequest, id: string): Promise<TaskRow | null> {
  const t = await r.engine.getTask(id);
  hideOtherTenants(r.access, t, `Cannot find task with id ${id}`);
  return t;
}

/** Applies the task work rules before a command on the task. */
async function workableTask(r: RestRequest, id: string, action: Parameters<typeof requireTaskWork>[2], claimFor?: string | null): Promise<void> {
  const t = await guardTask(r, id);
  if (t) requireTaskWork(r.access, t, action, claimFor);
}

/** Camunda's CompleteTaskDto for complete and submit-form: 204, or 200 with the variables when asked. */
async function complete(r: RestRequest, verb: string): Promise<RestResponse> {
  const id = r.params['id']!;
  const body = asObject(await r.json());
  return withContext(`Cannot ${verb} ${id}`, async () => {
    const withVariablesInReturn = optionalBoolean(body, 'withVariablesInReturn') ?? false;
    await workableTask(r, id, 'complete');
    const result = await r.engine.completeTask(id, fromVariableMapDto(body['variables']), { userId: r.userId, withVariablesInReturn });
    // Camunda returns these serialized (preferSerializedValue).
    return withVariablesInReturn ? ok(toVariableMapDto(result.variables ?? {}, false)) : noContent();
  });
}

function userIdOf(body: Record<string, unknown>): string | null {
  return optionalString(body, 'userId') ?? null;
}

export function registerTaskRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, taskFilter(p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findTasks(filter, page, sort)).map(taskDto));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.countTasks(scopeToTenants(r.access, taskFilter(await filtersOf(r)))));
  router.get('/task', 'READ', list).post('/task', 'READ', list);
  router.get('/task/count', 'READ', count).post('/task/count', 'READ', count);

  router.get('/task/:id', 'READ', async (r) => ok(taskDto(await taskOr404(r, r.params['id']!))));

  const WORK: RouteAccess = ['WORK_TASKS', 'OPERATE'];
  router.post('/task/:id/claim', WORK, async (r) => {
    const id = r.params['id']!;
    const userId = userIdOf(asObject(await r.json()));
    // As Camunda's TaskService.claim: a null user releases the task.
    await workableTask(r, id, userId === null ? 'unclaim' : 'claim', userId);
    if (userId === null) await r.engine.unclaimTask(id);
    else await r.engine.claimTask(id, userId);
    return noContent();
  });
  router.post('/task/:id/unclaim', WORK, async (r) => {
    await workableTask(r, r.params['id']!, 'unclaim');
    await r.engine.unclaimTask(r.params['id']!);
    return noContent();
  });
  router.post('/task/:id/assignee', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    const userId = userIdOf(asObject(await r.json()));
    await guardTask(r, id);
    await r.engine.setAssignee(id, userId);
    return noContent();
  });
  router.post('/task/:id/complete', WORK, (r) => complete(r, 'complete task'));
  router.post('/task/:id/submit-form', WORK, (r) => complete(r, 'submit task form'));

  router.get('/task/:id/form-variables', 'READ', async (r) => {
    const names = r.query.get('variableNames')?.split(',').filter((n) => n !== '');
    await guardTask(r, r.params['id']!);
    const vars = await r.engine.getTaskVariables(r.params['id']!);
    const picked = names ? Object.fromEntries(Object.entries(vars).filter(([k]) => names.includes(k))) : vars;
    return ok(toVariableMapDto(picked, deserializeParam(r.query)));
  });

  router.get('/task/:id/identity-links', 'READ', async (r) => {
    const t = await taskOr404(r, r.params['id']!);
    const links: { userId: string | null; groupId: string | null; type: string }[] = [];
    if (t.assignee !== null) links.push({ userId: t.assignee, groupId: null, type: 'assignee' });
    if (t.owner !== null) links.push({ userId: t.owner, groupId: null, type: 'owner' });
    for (const userId of t.candidateUsers) links.push({ userId, groupId: null, type: 'candidate' });
    for (const groupId of t.candidateGroups) links.push({ userId: null, groupId, type: 'candidate' });
    const type = r.query.get('type');
    return ok(type ? links.filter((l) => l.type === type) : links);
  });

  for (const [segment, local] of [['variables', false], ['localVariables', true]] as const) {
    // The engine has no one-command modification of task variables: a set, then one command per removal.
    const remove = async (r: RestRequest, id: string, names: string[]) => {
      for (const name of names) await r.engine.removeTaskVariable(id, name, local);
    };
    registerVariableRoutes(router, '/task', segment, {
      typeName: 'task',
      write: WORK,
      guard: async (r, id, write) => {
        if (write) await workableTask(r, id, 'change variables of');
        else await guardTask(r, id);
      },
      get: (r, id) => r.engine.getTaskVariables(id, local),
      set: (r, id, variables) => r.engine.setTaskVariables(id, variables, local),
      remove,
      modify: async (r, id, variables, names) => {
        if (Object.keys(variables).length > 0) await r.engine.setTaskVariables(id, variables, local);
        await remove(r, id, names);
      },
    });
  }
}
