/**
 * `/job-definition`: query, count and single job definitions. Camunda's
 * JobDefinitionRestService; the engine derives them from deployed processes.
 */
import type { JobDefinition } from '../../engine/index.js';
import { scopeToTenants, visible } from '../../schema/access.js';
import { badParameter, invalidRequest } from './errors.js';
import { countOf, filtersOf, listPage } from './paging.js';
import { compact, rejectUnsupported, suspension, type Params } from './params.js';
import { ok, type RestRequest, type Router } from './router.js';

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

export function registerJobDefinitionRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    return listPage(r, async (page) => (await query(r, p)).slice(page.firstResult, page.firstResult + page.maxResults).map(jobDefinitionDto));
  };
  const count = async (r: RestRequest) => countOf((await query(r, await filtersOf(r))).length);
  router.get('/job-definition', 'READ', list).post('/job-definition', 'READ', list);
  router.get('/job-definition/count', 'READ', count).post('/job-definition/count', 'READ', count);
  router.get('/job-definition/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const [found] = await r.engine.findJobDefinitions({ id });
    const d = visible(r.access, found ?? null);
    if (!d) throw invalidRequest(404, `Job Definition with id ${id} does not exist`);
    return ok(jobDefinitionDto(d));
  });
}
