/**
 * `/process-definition`: query, single definitions by id or by key (latest
 * version, optionally of a tenant), BPMN XML, start, suspension. Camunda's
 * ProcessDefinitionRestService and ProcessDefinitionResource.
 */
import type { ProcessDefinitionFilter, ProcessDefinitionRow, StartInstruction } from '../../engine/index.js';
import { latestVisibleDefinition, scopeToTenants, visible } from '../../schema/access.js';
import { invalidRequest, restException, unsupported, withContext } from './errors.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { instructionOf } from './modification.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, rejectUnsupported, suspension, type Params } from './params.js';
import { processInstanceDto } from './process-instance.js';
import { noContent, ok, selfLink, type RestRequest, type RestResponse, type Router } from './router.js';
import { fromVariableMapDto, toVariableMapDto } from './variables.js';

const SORT = {
  id: 'id',
  key: 'key',
  name: 'name',
  version: 'version',
  deploymentId: 'deploymentId',
  tenantId: 'tenantId',
  versionTag: 'versionTag',
  category: null,
  deployTime: null,
} as const;

/** Camunda's ProcessDefinitionDto. */
export function processDefinitionDto(d: ProcessDefinitionRow) {
  return {
    id: d.id,
    key: d.key,
    category: d.category,
    description: null,
    name: d.name,
    version: d.version,
    resource: d.resourceName,
    deploymentId: d.deploymentId,
    diagram: null,
    suspended: d.suspended,
    tenantId: d.tenantId,
    versionTag: d.versionTag,
    historyTimeToLive: d.historyTimeToLive,
    startableInTasklist: d.startableInTasklist,
  };
}

function definitionFilter(p: Params): ProcessDefinitionFilter {
  rejectUnsupported(p, ['categoryLike', 'resourceNameLike', 'startableBy', 'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike', 'withoutVersionTag', 'deployedAfter', 'deployedAt', 'processDefinitionKeyNotIn']);
  const tenantIdIn = p.list('tenantIdIn');
  const startable = flag(p, 'startableInTasklist') ? true : flag(p, 'notStartableInTasklist') ? false : undefined;
  return compact({
    id: p.string('processDefinitionId'),
    idIn: p.list('processDefinitionIdIn'),
    key: p.string('key'),
    keyIn: p.list('keysIn') ?? p.list('keyIn'),
    keyLike: p.string('keyLike'),
    name: p.string('name'),
    nameLike: p.string('nameLike'),
    version: p.integer('version'),
    latestVersion: flag(p, 'latestVersion') ?? flag(p, 'latest'),
    deploymentId: p.string('deploymentId'),
    versionTag: p.string('versionTag'),
    versionTagLike: p.string('versionTagLike'),
    resourceName: p.string('resourceName'),
    category: p.string('category'),
    tenantIdIn,
    withoutTenantId: flag(p, 'withoutTenantId') ?? (tenantIdIn ? flag(p, 'includeProcessDefinitionsWithoutTenantId') : undefined),
    suspended: suspension(p),
    startableInTasklist: startable,
  });
}

export async function byId(r: RestRequest): Promise<ProcessDefinitionRow> {
  const id = r.params['id']!;
  const d = visible(r.access, await r.engine.getProcessDefinition(id));
  if (!d) throw invalidRequest(404, `No matching definition with id ${id}`);
  return d;
}

/**
 * `/key/{key}` and `/key/{key}/tenant-id/{tenantId}`: the latest version; for
 * a tenant-bound caller `/key/{key}` means the version in its tenant.
 */
export async function byKey(r: RestRequest): Promise<ProcessDefinitionRow> {
  const key = r.params['key']!;
  const tenantId = r.params['tenantId'] ?? null;
  const d = await latestVisibleDefinition(r.engine, r.access, key, tenantId);
  if (!d) {
    throw restException(404, tenantId === null ? `No matching process definition with key: ${key} and no tenant-id` : `No matching process definition with key: ${key} and tenant-id: ${tenantId}`);
  }
  return d;
}

/**
 * Camunda's `startInstructions`: modification instructions that start
 * something. Camunda passes over a cancellation or an ancestor activity
 * instance here without a word; both are refused, as neither can mean
 * anything for an instance that does not exist yet.
 */
function startInstructions(raw: unknown): StartInstruction[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidRequest(400, `'startInstructions' must be an array`);
  return raw.map((item: unknown, index): StartInstruction => {
    const ins = instructionOf(item, index);
    if (ins.type === 'cancel') throw invalidRequest(400, `Start instruction ${index}: instruction type 'cancel' cannot be applied to process instantiation`);
    if (ins.ancestorActivityInstanceId) throw invalidRequest(400, `Start instruction ${index}: 'ancestorActivityInstanceId' is not applicable to process instantiation`);
    const out: StartInstruction = { type: ins.type };
    if (ins.activityId) out.activityId = ins.activityId;
    if (ins.transitionId) out.transitionId = ins.transitionId;
    if (ins.variables) out.variables = ins.variables;
    if (ins.variablesGlobal) out.variablesGlobal = ins.variablesGlobal;
    return out;
  });
}

async function start(r: RestRequest, definition: ProcessDefinitionRow): Promise<RestResponse> {
  const body = asObject(await r.json());
  return withContext(`Cannot instantiate process definition ${definition.id}`, async () => {
    if (optionalString(body, 'caseInstanceId')) throw unsupported('caseInstanceId');
    const withVariablesInReturn = optionalBoolean(body, 'withVariablesInReturn') ?? false;
    const instructions = startInstructions(body['startInstructions']);
    const result = await r.engine.startProcessInstance({
      processDefinitionId: definition.id,
      businessKey: optionalString(body, 'businessKey') ?? null,
      variables: fromVariableMapDto(body['variables']),
      ...(instructions ? { startInstructions: instructions } : {}),
      skipCustomListeners: optionalBoolean(body, 'skipCustomListeners') ?? false,
      skipIoMappings: optionalBoolean(body, 'skipIoMappings') ?? false,
      userId: r.userId,
      withVariablesInReturn,
    });
    const dto = processInstanceDto(result, [selfLink(r, `/process-instance/${result.id}`)]);
    return ok(withVariablesInReturn ? { ...dto, variables: toVariableMapDto(result.variables ?? {}) } : dto);
  });
}

async function updateSuspension(r: RestRequest, definition: ProcessDefinitionRow): Promise<RestResponse> {
  const body = asObject(await r.json());
  const suspended = optionalBoolean(body, 'suspended');
  if (suspended === undefined) throw invalidRequest(400, `'suspended' is required`);
  if (optionalBoolean(body, 'includeProcessInstances')) throw unsupported('includeProcessInstances');
  if (optionalString(body, 'executionDate')) throw unsupported('A delayed suspension (executionDate)');
  await r.engine.suspendProcessDefinition(definition.id, suspended);
  return noContent();
}

async function xml(r: RestRequest, definition: ProcessDefinitionRow): Promise<RestResponse> {
  return ok({ id: definition.id, bpmn20Xml: await r.engine.getProcessDefinitionXml(definition.id) });
}

export function registerProcessDefinitionRoutes(router: Router): void {
  router.get('/process-definition', 'READ', async (r) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, definitionFilter(p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findProcessDefinitions(filter, page, sort)).map(processDefinitionDto));
  });
  router.get('/process-definition/count', 'READ', async (r) => countOf(await r.engine.countProcessDefinitions(scopeToTenants(r.access, definitionFilter(await filtersOf(r))))));

  router.get('/process-definition/:id', 'READ', async (r) => ok(processDefinitionDto(await byId(r))));
  router.get('/process-definition/:id/xml', 'READ', async (r) => {
    const id = r.params['id']!;
    const d = visible(r.access, await r.engine.getProcessDefinition(id));
    // Camunda answers a missing definition's XML with 400, not 404.
    if (!d) throw invalidRequest(400, `No matching definition with id ${id}`);
    return xml(r, d);
  });
  router.post('/process-definition/:id/start', 'START', async (r) => start(r, await byId(r)));
  router.post('/process-definition/:id/submit-form', 'START', async (r) => start(r, await byId(r)));
  router.put('/process-definition/:id/suspended', 'OPERATE', async (r) => updateSuspension(r, await byId(r)));

  for (const prefix of ['/process-definition/key/:key', '/process-definition/key/:key/tenant-id/:tenantId']) {
    router.get(prefix, 'READ', async (r) => ok(processDefinitionDto(await byKey(r))));
    router.get(`${prefix}/xml`, 'READ', async (r) => xml(r, await byKey(r)));
    router.post(`${prefix}/start`, 'START', async (r) => start(r, await byKey(r)));
    router.post(`${prefix}/submit-form`, 'START', async (r) => start(r, await byKey(r)));
    router.put(`${prefix}/suspended`, 'OPERATE', async (r) => updateSuspension(r, await byKey(r)));
  }
}
