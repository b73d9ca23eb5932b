/**
 * `/job-definition`: query, count, single job definitions and their
 * suspension. Camunda's JobDefinitionRestService; the engine derives them
 * from deployed processes.
 */
import type { JobDefinition, JobDefinitionSuspensionSelector } from '../../engine/index.js';
import { scopeToTenants, visible } from '../../schema/access.js';
import { badParameter, invalidRequest, unsupported } from './errors.js';
import { suspensionRequest } from './job.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { countOf, filtersOf, listPage } from './paging.js';
import { compact, rejectUnsupported, suspension, type Params } from './params.js';
import { noContent, ok, type RestRequest, type RestResponse, type Router } from './router.js';

/** Camunda's JobDefinitionDto. */
function jobDefinitionDto(d: JobDefinition) {
  return {
    id: d.id,
    processDefinitionId: d.processDefinitionId,
    processDefinitionKey: d.processDefinitionKey,
    activityId: d.activityId,
    jobType: d.jobType,
    jobConfiguration: d.jobConfiguration,
    overridingJobPriority: null,
    suspended: d.suspended,
    tenantId: d.tenantId,
    deploymentId: d.deploymentId,
  };
}

const SORT: Record<string, keyof JobDefinition> = {
  jobDefinitionId: 'id',
  activityId: 'activityId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  jobType: 'jobType',
  jobConfiguration: 'jobConfiguration',
  tenantId: 'tenantId',
};

function filterOf(p: Params) {
  rejectUnsupported(p, ['withOverridingJobPriority', 'withoutTenantId', 'includeJobDefinitionsWithoutTenantId']);
  return compact({
    id: p.string('jobDefinitionId'),
    activityIdIn: p.list('activityIdIn'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    jobType: p.string('jobType'),
    jobConfiguration: p.string('jobConfiguration'),
    suspended: suspension(p),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

async function query(r: RestRequest, p: Params): Promise<JobDefinition[]> {
  const found = await r.engine.findJobDefinitions(scopeToTenants(r.access, filterOf(p)));
  const specs = p.sorting();
  for (const s of [...specs].reverse()) {
    const field = SORT[s.sortBy];
    if (!field) throw badParameter('sortBy', s.sortBy);
    const sign = s.sortOrder === 'desc' ? -1 : 1;
    found.sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
  }
  if (specs.length === 0) found.sort((a, b) => a.id.localeCompare(b.id));
  return found;
}

const SELECTORS = ['jobDefinitionId', 'processDefinitionId', 'processDefinitionKey'];

/**
 * Camunda's JobDefinitionSuspensionStateDto.updateSuspensionState. A
 * selection that matches nothing (or only job definitions of tenants the
 * caller may not see) changes nothing and still answers 204, as in Camunda.
 */
async function updateSuspension(r: RestRequest, fromPath?: string): Promise<RestResponse> {
  const { suspended, body, selected } = await suspensionRequest(r, SELECTORS, fromPath);
  if (optionalString(body, 'executionDate')) throw unsupported('A delayed suspension (executionDate)');
  const tenantId = optionalString(body, 'processDefinitionTenantId');
  const withoutTenantId = optionalBoolean(body, 'processDefinitionWithoutTenantId') === true;
  const selector: JobDefinitionSuspensionSelector = { ...selected };
  // Camunda reads the tenant only with the key.
  if (selector.processDefinitionKey !== undefined && (tenantId != null || withoutTenantId)) selector.processDefinitionTenantId = tenantId ?? null;
  await r.engine.suspendJobDefinitions(scopeToTenants(r.access, selector), suspended, { includeJobs: optionalBoolean(body, 'includeJobs') === true });
  return noContent();
}

export function registerJobDefinitionRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    return listPage(r, async (page) => (await query(r, p)).slice(page.firstResult, page.firstResult + page.maxResults).map(jobDefinitionDto));
  };
  const count = async (r: RestRequest) => countOf((await query(r, await filtersOf(r))).length);
  router.get('/job-definition', 'READ', list).post('/job-definition', 'READ', list);
  router.get('/job-definition/count', 'READ', count).post('/job-definition/count', 'READ', count);
  router.put('/job-definition/suspended', 'OPERATE', async (r) => {
    if (optionalString(asObject(await r.json()), 'jobDefinitionId') != null) {
      throw invalidRequest(400, 'Either processDefinitionId or processDefinitionKey can be set to update the suspension state.');
    }
    return updateSuspension(r);
  });
  router.put('/job-definition/:id/suspended', 'OPERATE', (r) => updateSuspension(r, 'jobDefinitionId'));
  router.get('/job-definition/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const [found] = await r.engine.findJobDefinitions({ id });
    const d = visible(r.access, found ?? null);
    if (!d) throw invalidRequest(404, `Job Definition with id ${id} does not exist`);
    return ok(jobDefinitionDto(d));
  });
}
