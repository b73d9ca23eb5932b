/**
 * `/external-task`: fetch and lock (with long polling), complete, failure,
 * BPMN error, lock, extend lock, unlock, retries, priority, queries and error
 * details. Camunda's ExternalTaskRestService and ExternalTaskResource.
 *
 * Error statuses as Camunda's ExternalTaskResourceImpl: a missing task is a
 * 404 RestException "External task with id … does not exist"; a refused
 * worker (BadUserRequestException) a 400 RestException with the engine's
 * message; anything else keeps the engine's status (a suspended instance, 500).
 */
import type { ExternalTaskFilter, ExternalTaskRow, ExternalTaskSortField } from '../../engine/index.js';
import { EngineError } from '../../engine/index.js';
import type { FetchTopic, LockedExternalTask } from '../../engine/external-tasks/service.js';
import { hideOtherTenants, scopeToTenants, visible } from '../../schema/access.js';
import { badParameter, invalidRequest, restException, statusOf } from './errors.js';
import { asObject, formatDate, optionalBoolean, optionalString } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, suspension, type Params } from './params.js';
import { noContent, ok, type RestRequest, type RestResponse, type Router } from './router.js';
import { fromVariableMapDto, toVariableMapDto } from './variables.js';

const SORT: Readonly<Record<string, ExternalTaskSortField | null>> = {
  id: 'id',
  lockExpirationTime: 'lockExpiration',
  processInstanceId: 'instanceId',
  processDefinitionId: 'definitionId',
  processDefinitionKey: 'definitionKey',
  tenantId: 'tenantId',
  taskPriority: 'priority',
  createTime: 'createTime',
};

/** Camunda's ExternalTaskDto. */
export function externalTaskDto(t: ExternalTaskRow) {
  return {
    activityId: t.activityId,
    activityInstanceId: t.activityInstanceId,
    errorMessage: t.errorMessage,
    executionId: t.executionId,
    id: t.id,
    lockExpirationTime: formatDate(t.lockExpiration),
    createTime: formatDate(t.createTime),
    processDefinitionId: t.definitionId,
    processDefinitionKey: t.definitionKey,
    processDefinitionVersionTag: t.definitionVersionTag,
    processInstanceId: t.instanceId,
    retries: t.retries,
    suspended: t.suspended,
    workerId: t.workerId,
    topicName: t.topicName,
    tenantId: t.tenantId,
    priority: t.priority,
    businessKey: t.businessKey,
  };
}

/** Camunda's LockedExternalTaskDto: the ExternalTaskDto plus what a worker fetched. */
function lockedExternalTaskDto(t: LockedExternalTask, deserializeValues: boolean) {
  return {
    ...externalTaskDto(t),
    errorDetails: t.errorDetails,
    variables: toVariableMapDto(t.variables, deserializeValues),
    extensionProperties: t.extensionProperties,
  };
}

function externalTaskFilter(r: RestRequest, p: Params): ExternalTaskFilter {
  const svc = r.engine.externalTasks;
  const locked = flag(p, 'locked');
  const notLocked = flag(p, 'notLocked');
  return compact({
    id: p.string('externalTaskId'),
    idIn: p.list('externalTaskIdIn'),
    topicName: p.string('topicName'),
    workerId: p.string('workerId'),
    ...(locked ? svc.lockFilter(true) : {}),
    ...(notLocked ? svc.lockFilter(false) : {}),
    lockExpirationBefore: p.date('lockExpirationBefore'),
    lockExpirationAfter: p.date('lockExpirationAfter'),
    withRetriesLeft: flag(p, 'withRetriesLeft'),
    noRetriesLeft: flag(p, 'noRetriesLeft'),
    instanceId: p.string('processInstanceId'),
    instanceIdIn: p.list('processInstanceIdIn'),
    activityId: p.string('activityId'),
    activityIdIn: p.list('activityIdIn'),
    executionId: p.string('executionId'),
    definitionId: p.string('processDefinitionId'),
    suspended: suspension(p),
    tenantIdIn: p.list('tenantIdIn'),
    withoutTenantId: flag(p, 'withoutTenantId'),
    priorityHigherThanOrEquals: p.integer('priorityHigherThanOrEquals'),
    priorityLowerThanOrEquals: p.integer('priorityLowerThanOrEquals'),
  });
}

/** Runs a command on one task with Camunda's ExternalTaskResourceImpl error mapping. */
async function onTask(r: RestRequest, fn: (id: string) => Promise<void>): Promise<RestResponse> {
  const id = r.params['id']!;
  try {
    // A task of a tenant the caller may not see fails as a missing one.
    hideOtherTenants(r.access, await r.engine.externalTasks.getExternalTask(id), `Cannot find external task with id ${id}`);
    await fn(id);
  } catch (e) {
    if (e instanceof EngineError && e.code === 'NOT_FOUND') throw restException(404, `External task with id ${id} does not exist`, e);
    if (e instanceof EngineError && e.code === 'BAD_USER_INPUT' && statusOf(e) === 400) throw restException(400, e.message, e);
    throw e;
  }
  return noContent();
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const v = optionalString(body, key);
  if (v === undefined || v === null) throw invalidRequest(400, `'${key}' is required`);
  return v;
}

function numberOf(body: Record<string, unknown>, key: string, fallback?: number): number {
  const v = body[key];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badParameter(key, v, 'a number is required');
  return v;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  throw badParameter(key, value, 'a list of strings is required');
}

function optionalText(obj: Record<string, unknown>, key: string): string | undefined {
  return optionalString(obj, key) ?? undefined;
}

/** One entry of `topics` (Camunda's FetchExternalTaskTopicDto). */
function fetchTopic(raw: unknown): FetchTopic & { deserializeValues: boolean } {
  const t = asObject(raw, 'topic');
  const processVariables = t['processVariables'];
  if (processVariables !== undefined && processVariables !== null && (typeof processVariables !== 'object' || Array.isArray(processVariables))) {
    throw badParameter('processVariables', processVariables, 'an object of variable names to values is required');
  }
  return {
    topicName: requiredString(t, 'topicName'),
    lockDuration: numberOf(t, 'lockDuration'),
    variables: stringList(t['variables'], 'variables') ?? null,
    localVariables: optionalBoolean(t, 'localVariables') ?? false,
    includeExtensionProperties: optionalBoolean(t, 'includeExtensionProperties') ?? false,
    deserializeValues: optionalBoolean(t, 'deserializeValues') ?? false,
    ...compact({
      businessKey: optionalText(t, 'businessKey'),
      processDefinitionId: optionalText(t, 'processDefinitionId'),
      processDefinitionIdIn: stringList(t['processDefinitionIdIn'], 'processDefinitionIdIn'),
      processDefinitionKey: optionalText(t, 'processDefinitionKey'),
      processDefinitionKeyIn: stringList(t['processDefinitionKeyIn'], 'processDefinitionKeyIn'),
      processDefinitionVersionTag: optionalText(t, 'processDefinitionVersionTag'),
      tenantIdIn: stringList(t['tenantIdIn'], 'tenantIdIn'),
      withoutTenantId: optionalBoolean(t, 'withoutTenantId') === true ? true : undefined,
      processVariables: (processVariables ?? undefined) as FetchTopic['processVariables'],
    }),
  };
}

/** Camunda's `sorting` of fetchAndLock: only `createTime`. */
function createTimeOrder(raw: unknown): 'asc' | 'desc' | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badParameter('sorting', raw);
  let order: 'asc' | 'desc' | undefined;
  for (const s of raw) {
    const spec = asObject(s, 'sorting');
    if (spec['sortBy'] !== 'createTime') throw badParameter('sortBy', spec['sortBy'], "only 'createTime' is supported");
    if (spec['sortOrder'] !== 'asc' && spec['sortOrder'] !== 'desc') throw badParameter('sortOrder', spec['sortOrder']);
    order ??= spec['sortOrder'];
  }
  return order;
}

async function fetchAndLock(r: RestRequest): Promise<RestResponse> {
  const body = asObject(await r.json());
  const workerId = optionalString(body, 'workerId');
  if (!workerId) throw invalidRequest(400, 'workerId is null');
  const rawTopics = body['topics'] ?? [];
  if (!Array.isArray(rawTopics)) throw badParameter('topics', rawTopics, 'a list of topics is required');
  const topics = rawTopics.map((t) => scopeToTenants(r.access, fetchTopic(t)));
  const order = createTimeOrder(body['sorting']);
  // The wait ends when the client goes away, so no task is locked for nobody.
  const aborted = new AbortController();
  const onClose = () => aborted.abort();
  r.req.socket.once('close', onClose);
  try {
    const tasks = await r.engine.externalTasks.fetchAndLock({
      workerId,
      maxTasks: numberOf(body, 'maxTasks', 0),
      usePriority: optionalBoolean(body, 'usePriority') ?? false,
      ...(order ? { createTimeOrder: order } : {}),
      topics,
      asyncResponseTimeout: numberOf(body, 'asyncResponseTimeout', 0),
      signal: aborted.signal,
    });
    return ok(tasks.map((t) => lockedExternalTaskDto(t, topics.find((x) => x.topicName === t.topicName)?.deserializeValues ?? false)));
  } finally {
    r.req.socket.off('close', onClose);
  }
}

export function registerExternalTaskRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, externalTaskFilter(r, p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.externalTasks.findExternalTasks(filter, page, sort)).map(externalTaskDto));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.externalTasks.countExternalTasks(scopeToTenants(r.access, externalTaskFilter(r, await filtersOf(r)))));
  router.get('/external-task', 'READ', list).post('/external-task', 'READ', list);
  router.get('/external-task/count', 'READ', count).post('/external-task/count', 'READ', count);
  router.post('/external-task/fetchAndLock', 'WORK_TASKS', fetchAndLock);

  router.get('/external-task/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const task = visible(r.access, await r.engine.externalTasks.getExternalTask(id));
    if (!task) throw restException(404, `External task with id ${id} does not exist`);
    return ok(externalTaskDto(task));
  });

  router.get('/external-task/:id/errorDetails', 'READ', async (r) => {
    const id = r.params['id']!;
    const task = visible(r.access, await r.engine.externalTasks.getExternalTask(id));
    if (!task) throw restException(404, `External task with id ${id} does not exist`);
    if (task.errorDetails === null) return noContent();
    return { status: 200, raw: { data: task.errorDetails, contentType: 'text/plain; charset=utf-8' } };
  });

  router.post('/external-task/:id/complete', 'WORK_TASKS', async (r) => {
    const body = asObject(await r.json());
    const workerId = requiredString(body, 'workerId');
    const variables = fromVariableMapDto(body['variables']);
    const localVariables = fromVariableMapDto(body['localVariables'], 'localVariables');
    return onTask(r, (id) => r.engine.externalTasks.complete(id, workerId, variables, localVariables));
  });

  router.post('/external-task/:id/failure', 'WORK_TASKS', async (r) => {
    const body = asObject(await r.json());
    const workerId = requiredString(body, 'workerId');
    const failure = {
      errorMessage: optionalString(body, 'errorMessage') ?? null,
      errorDetails: optionalString(body, 'errorDetails') ?? null,
      retries: numberOf(body, 'retries'),
      retryTimeout: numberOf(body, 'retryTimeout', 0),
    };
    return onTask(r, (id) => r.engine.externalTasks.handleFailure(id, workerId, failure));
  });

  router.post('/external-task/:id/bpmnError', 'WORK_TASKS', async (r) => {
    const body = asObject(await r.json());
    const workerId = requiredString(body, 'workerId');
    const errorCode = requiredString(body, 'errorCode');
    const errorMessage = optionalString(body, 'errorMessage') ?? null;
    const variables = fromVariableMapDto(body['variables']);
    return onTask(r, (id) => r.engine.externalTasks.handleBpmnError(id, workerId, errorCode, errorMessage, variables));
  });

  router.post('/external-task/:id/lock', 'WORK_TASKS', async (r) => {
    const body = asObject(await r.json());
    const workerId = requiredString(body, 'workerId');
    const lockDuration = numberOf(body, 'lockDuration');
    return onTask(r, (id) => r.engine.externalTasks.lock(id, workerId, lockDuration));
  });

  router.post('/external-task/:id/extendLock', 'WORK_TASKS', async (r) => {
    const body = asObject(await r.json());
    const workerId = requiredString(body, 'workerId');
    const newDuration = numberOf(body, 'newDuration');
    return onTask(r, (id) => r.engine.externalTasks.extendLock(id, workerId, newDuration));
  });

  router.post('/external-task/:id/unlock', 'WORK_TASKS', (r) => onTask(r, (id) => r.engine.externalTasks.unlock(id)));

  router.put('/external-task/:id/retries', 'OPERATE', async (r) => {
    const body = asObject(await r.json());
    if (body['retries'] === undefined || body['retries'] === null) throw restException(400, 'The number of retries cannot be null.');
    const retries = numberOf(body, 'retries');
    return onTask(r, (id) => r.engine.externalTasks.setRetries(id, retries));
  });

  router.put('/external-task/:id/priority', 'OPERATE', async (r) => {
    const body = asObject(await r.json());
    const priority = numberOf(body, 'priority');
    return onTask(r, (id) => r.engine.externalTasks.setPriority(id, priority));
  });
}
