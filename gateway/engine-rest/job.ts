/**
 * `/job`: query (GET and POST), single jobs, execute, retries, suspension,
 * the failure details. Camunda's JobRestService and JobResource.
 */
import { EngineError, type JobFilter, type JobRow, type JobSuspensionSelector } from '../../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible } from '../../schema/access.js';
import { badParameter, invalidRequest, restException, unsupported } from './errors.js';
import { asObject, formatDate, optionalBoolean, optionalString, parseDate } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, rejectUnsupported, suspension, type Params } from './params.js';
import { noContent, ok, type RestRequest, type RestResponse, type Router } from './router.js';

const SORT = {
  jobId: 'id',
  jobDueDate: 'dueDate',
  jobRetries: 'retries',
  processInstanceId: 'instanceId',
  jobPriority: 'priority',
  executionId: null,
  processDefinitionId: null,
  processDefinitionKey: null,
  tenantId: null,
} as const;

const UNSUPPORTED_FILTERS = [
  'processInstanceIds', 'createTimes', 'exceptionMessage', 'failedActivityId', 'priorityLowerThanOrEquals',
  'priorityHigherThanOrEquals', 'withoutTenantId', 'includeJobsWithoutTenantId', 'acquired',
];

/** Camunda's JobDto. This engine has no batches. */
export function jobDto(j: JobRow) {
  return {
    id: j.id,
    jobDefinitionId: j.jobDefinitionId,
    processInstanceId: j.instanceId,
    processDefinitionId: j.definitionId,
    processDefinitionKey: j.definitionKey,
    executionId: j.executionId,
    exceptionMessage: j.exceptionMessage,
    // The activity whose execution failed: only a job that failed has one.
    failedActivityId: j.exceptionMessage !== null ? j.activityId : null,
    retries: j.retries,
    dueDate: formatDate(j.dueDate),
    suspended: j.suspended,
    priority: j.priority,
    tenantId: j.tenantId,
    createTime: formatDate(j.createTime),
    batchId: null,
  };
}

interface DueDateCondition {
  operator: unknown;
  value: unknown;
}

/**
 * Camunda's `dueDates`: `gt_<date>,lt_<date>` in the URL, `[{ operator, value }]`
 * in a POST body; both strict comparisons (`duedateHigherThan`/`duedateLowerThan`).
 */
async function dueDateBounds(r: RestRequest): Promise<{ dueAfter?: Date; dueBefore?: Date }> {
  let conditions: DueDateCondition[];
  if (r.req.method === 'POST') {
    const raw = asObject(await r.json())['dueDates'];
    if (raw === undefined || raw === null) return {};
    if (!Array.isArray(raw)) throw badParameter('dueDates', raw);
    conditions = raw.map((c: unknown) => (typeof c === 'object' && c !== null ? (c as DueDateCondition) : { operator: c, value: undefined }));
  } else {
    const raw = r.query.get('dueDates');
    if (raw === null || raw === '') return {};
    conditions = raw.split(',').map((expression) => {
      const cut = expression.indexOf('_');
      if (cut < 0) throw invalidRequest(400, 'due date query parameter has to have format OPERATOR_VALUE.');
      return { operator: expression.slice(0, cut), value: expression.slice(cut + 1) };
    });
  }
  const out: { dueAfter?: Date; dueBefore?: Date } = {};
  for (const { operator, value } of conditions) {
    if (operator !== 'gt' && operator !== 'lt') throw invalidRequest(400, `Invalid due date comparator specified: ${String(operator)}`);
    const date = typeof value === 'string' ? parseDate(value) : null;
    if (!date) throw badParameter('dueDates', value, `Cannot convert value "${String(value)}" to java type java.util.Date`);
    if (operator === 'gt') out.dueAfter = date;
    else out.dueBefore = date;
  }
  return out;
}

async function jobFilter(r: RestRequest, p: Params): Promise<JobFilter> {
  rejectUnsupported(p, UNSUPPORTED_FILTERS);
  const timers = flag(p, 'timers');
  const messages = flag(p, 'messages');
  if (timers && messages) throw invalidRequest(400, 'Cannot combine onlyTimers() with onlyMessages() in the same query');
  return compact({
    id: p.string('jobId'),
    idIn: p.list('jobIds'),
    instanceId: p.string('processInstanceId'),
    executionId: p.string('executionId'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    activityId: p.string('activityId'),
    jobDefinitionId: p.string('jobDefinitionId'),
    withRetriesLeft: flag(p, 'withRetriesLeft'),
    noRetriesLeft: flag(p, 'noRetriesLeft'),
    executableAt: flag(p, 'executable') ? r.engine.clock.now() : undefined,
    timers,
    messages,
    withException: flag(p, 'withException'),
    suspended: suspension(p),
    tenantIdIn: p.list('tenantIdIn'),
    ...(await dueDateBounds(r)),
  });
}

async function jobOr404(r: RestRequest, id: string): Promise<JobRow> {
  const job = visible(r.access, await r.engine.getJob(id));
  if (!job) throw invalidRequest(404, `Job with id ${id} does not exist`);
  return job;
}

/**
 * Camunda's JobResource.executeJob answers a missing job with 404 and a job
 * that fails with 500 and the failure's message; the failure is recorded
 * (retries, incident) either way.
 */
async function execute(r: RestRequest): Promise<RestResponse> {
  const id = r.params['id']!;
  try {
    hideOtherTenants(r.access, await r.engine.getJob(id), `No job found with id '${id}'`);
    await r.engine.executeJob(id);
  } catch (e) {
    if (e instanceof EngineError && e.code === 'FORBIDDEN') throw e;
    if (e instanceof EngineError && e.code === 'NOT_FOUND' && !visible(r.access, await r.engine.getJob(id))) throw invalidRequest(404, e.message, e);
    throw restException(500, e instanceof Error ? e.message : String(e), e);
  }
  return noContent();
}

/**
 * A suspension body (Camunda's SuspensionStateDto and its job and job
 * definition variants): `suspended` and exactly one of `selectors` saying what
 * it applies to — the id in the path counts as one. Camunda's messages.
 */
export async function suspensionRequest(
  r: RestRequest,
  selectors: readonly string[],
  fromPath?: string,
): Promise<{ suspended: boolean; body: Record<string, unknown>; selected: Record<string, string> }> {
  const body = asObject(await r.json());
  const suspended = optionalBoolean(body, 'suspended');
  if (suspended === undefined) throw invalidRequest(400, `'suspended' is required`);
  const selected: Record<string, string> = {};
  for (const name of selectors) {
    const value = name === fromPath ? r.params['id']! : optionalString(body, name);
    if (value != null) selected[name] = value;
  }
  const count = Object.keys(selected).length;
  const names = `${selectors.slice(0, -1).join(', ')} or ${selectors.at(-1)}`;
  if (count > 1) throw invalidRequest(400, `Only one of ${names} should be set to update the suspension state.`);
  if (count === 0) throw invalidRequest(400, `Either ${names} should be set to update the suspension state.`);
  return { suspended, body, selected };
}

const JOB_SELECTORS = ['jobId', 'jobDefinitionId', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey'];

/**
 * Camunda's JobSuspensionStateDto.updateSuspensionState. A selection that
 * matches nothing (or only jobs of tenants the caller may not see) changes
 * nothing and still answers 204, as Camunda's bulk UPDATE does.
 */
async function updateSuspension(r: RestRequest, fromPath?: string): Promise<RestResponse> {
  const { suspended, body, selected } = await suspensionRequest(r, JOB_SELECTORS, fromPath);
  const tenantId = optionalString(body, 'processDefinitionTenantId');
  const withoutTenantId = optionalBoolean(body, 'processDefinitionWithoutTenantId') === true;
  const selector: JobSuspensionSelector = { ...selected };
  // Camunda reads the tenant only with the key.
  if (selector.processDefinitionKey !== undefined && (tenantId != null || withoutTenantId)) selector.processDefinitionTenantId = tenantId ?? null;
  await r.engine.suspendJobs(scopeToTenants(r.access, selector), suspended);
  return noContent();
}

export function registerJobRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, await jobFilter(r, p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findJobs(filter, page, sort)).map(jobDto));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.countJobs(scopeToTenants(r.access, await jobFilter(r, await filtersOf(r)))));
  router.get('/job', 'READ', list).post('/job', 'READ', list);
  router.get('/job/count', 'READ', count).post('/job/count', 'READ', count);

  router.put('/job/suspended', 'OPERATE', async (r) => {
    if (optionalString(asObject(await r.json()), 'jobId') != null) {
      throw invalidRequest(400, 'Either jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey can be set to update the suspension state.');
    }
    return updateSuspension(r);
  });

  router.get('/job/:id', 'READ', async (r) => ok(jobDto(await jobOr404(r, r.params['id']!))));
  router.post('/job/:id/execute', 'OPERATE', execute);
  router.put('/job/:id/suspended', 'OPERATE', (r) => updateSuspension(r, 'jobId'));

  router.put('/job/:id/retries', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    const retries = body['retries'];
    if (typeof retries !== 'number') throw invalidRequest(400, `'retries' must be a number`);
    if (body['dueDate'] !== undefined && body['dueDate'] !== null) throw unsupported(`'dueDate'`);
    try {
      hideOtherTenants(r.access, await r.engine.getJob(id), `No job found with id '${id}'`);
      await r.engine.setJobRetries(id, retries);
    } catch (e) {
      // Camunda answers every engine failure here (missing job, negative retries) with 500.
      if (e instanceof EngineError && e.code !== 'FORBIDDEN') throw invalidRequest(500, e.message, e);
      throw e;
    }
    return noContent();
  });

  router.get('/job/:id/stacktrace', 'READ', async (r) => {
    const id = r.params['id']!;
    const job = visible(r.access, await r.engine.getJob(id));
    if (!job) throw invalidRequest(404, `No job found with id ${id}`);
    // The engine keeps stack-free failure details, not a Java stack trace; no failure yet is an empty answer.
    if (job.exceptionDetails === null) return noContent();
    return { status: 200, raw: { data: job.exceptionDetails, contentType: 'text/plain; charset=utf-8' } };
  });
}
