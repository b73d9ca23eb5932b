/**
 * `/deployment`: create (multipart, as the Camunda Modeler uploads), query,
 * resources, redeploy. Camunda's DeploymentRestService.
 */
import type { DeploymentFilter, DeploymentResult, DeploymentRow, ResourceRow } from '../../engine/index.js';
import { scopeToTenants, tenantForNew, visible } from '../../schema/access.js';
import { invalidRequest, unsupported } from './errors.js';
import { asObject, formatDate } from './json.js';
import { parseMultipart } from './multipart.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, rejectUnsupported, type Params } from './params.js';
import { processDefinitionDto } from './process-definition.js';
import { ok, selfLink, type RestRequest, type Router } from './router.js';

const DEPLOYMENT_NAME = 'deployment-name';
const ENABLE_DUPLICATE_FILTERING = 'enable-duplicate-filtering';
const DEPLOY_CHANGED_ONLY = 'deploy-changed-only';
const DEPLOYMENT_SOURCE = 'deployment-source';
const TENANT_ID = 'tenant-id';
const DEPLOYMENT_ACTIVATION_TIME = 'deployment-activation-time';
/** Form fields that are options; every other part is a resource. */
const RESERVED = new Set([DEPLOYMENT_NAME, ENABLE_DUPLICATE_FILTERING, DEPLOY_CHANGED_ONLY, DEPLOYMENT_SOURCE, TENANT_ID, DEPLOYMENT_ACTIVATION_TIME]);

const SORT = { id: 'id', name: 'name', deploymentTime: 'deploymentTime', tenantId: 'tenantId' } as const;

export function deploymentDto(d: DeploymentRow, links: unknown[] = []) {
  return { links, id: d.id, name: d.name, source: d.source, deploymentTime: formatDate(d.deployTime), tenantId: d.tenantId };
}

/** Camunda's DeploymentWithDefinitionsDto; the definition maps are null when nothing of that kind was deployed. */
function deploymentWithDefinitionsDto(r: RestRequest, result: DeploymentResult) {
  const definitions = result.processDefinitions.length
    ? Object.fromEntries(result.processDefinitions.map((d) => [d.id, processDefinitionDto(d)]))
    : null;
  return {
    ...deploymentDto(result.deployment, [selfLink(r, `/deployment/${result.deployment.id}`)]),
    deployedProcessDefinitions: definitions,
    deployedCaseDefinitions: null,
    deployedDecisionDefinitions: null,
    deployedDecisionRequirementsDefinitions: null,
  };
}

function resourceDto(res: ResourceRow) {
  return { id: res.id, name: res.name, deploymentId: res.deploymentId };
}

function deploymentFilter(p: Params): DeploymentFilter {
  rejectUnsupported(p, ['withoutSource', 'withProcessApplication']);
  const tenantIdIn = p.list('tenantIdIn');
  return compact({
    id: p.string('id'),
    name: p.string('name'),
    nameLike: p.string('nameLike'),
    source: p.string('source'),
    tenantIdIn,
    // With tenantIdIn, the store reads withoutTenantId as Camunda's includeDeploymentsWithoutTenantId.
    withoutTenantId: p.boolean('withoutTenantId') || (tenantIdIn !== undefined && p.boolean('includeDeploymentsWithoutTenantId')) || undefined,
    deployedBefore: p.date('before'),
    deployedAfter: p.date('after'),
  });
}

async function deploymentOr404(r: RestRequest, id: string): Promise<DeploymentRow> {
  const d = visible(r.access, await r.engine.getDeployment(id));
  if (!d) throw invalidRequest(404, `Deployment with id '${id}' does not exist`);
  return d;
}

function mediaType(name: string): string {
  const n = name.toLowerCase();
  if (/\.(bpmn|bpmn2|bpmn20\.xml|xml|dmn|cmmn)$/.test(n)) return 'application/xml';
  if (/\.(form|json)$/.test(n)) return 'application/json';
  if (/\.(html|htm)$/.test(n)) return 'text/html';
  if (n.endsWith('.png')) return 'image/png';
  if (n.endsWith('.svg')) return 'image/svg+xml';
  return 'application/octet-stream';
}

export function registerDeploymentRoutes(router: Router): void {
  router.post('/deployment/create', 'DEPLOY', async (r) => {
    const parts = parseMultipart(await r.raw(), r.req.headers['content-type']);
    const fields = new Map<string, string>();
    const resources: { name: string; content: Buffer }[] = [];
    for (const part of parts) {
      if (RESERVED.has(part.name)) fields.set(part.name, part.data.toString('utf8'));
      else resources.push({ name: part.filename ?? part.name, content: part.data });
    }
    if (resources.length === 0) throw invalidRequest(400, 'No deployment resources contained in the form upload.');
    if (fields.get(DEPLOYMENT_ACTIVATION_TIME)) throw unsupported(`'${DEPLOYMENT_ACTIVATION_TIME}' (delayed activation)`);
    const deployChangedOnly = fields.get(DEPLOY_CHANGED_ONLY) === 'true';
    const result = await r.engine.deploy({
      name: fields.get(DEPLOYMENT_NAME) ?? null,
      source: fields.get(DEPLOYMENT_SOURCE) ?? null,
      tenantId: tenantForNew(r.access, fields.get(TENANT_ID) || null, 'deploy'),
      resources,
      // deploy-changed-only implies duplicate filtering, as in Camunda.
      enableDuplicateFiltering: deployChangedOnly || fields.get(ENABLE_DUPLICATE_FILTERING) === 'true',
      deployChangedOnly,
    });
    return ok(deploymentWithDefinitionsDto(r, result));
  });

  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, deploymentFilter(p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findDeployments(filter, page, sort)).map((d) => deploymentDto(d)));
  };
  router.get('/deployment', 'READ', list);

  router.get('/deployment/count', 'READ', async (r) => countOf(await r.engine.store.countDeployments(scopeToTenants(r.access, deploymentFilter(await filtersOf(r))))));

  router.get('/deployment/:id', 'READ', async (r) => ok(deploymentDto(await deploymentOr404(r, r.params['id']!))));

  router.get('/deployment/:id/resources', 'READ', async (r) => {
    const id = r.params['id']!;
    if (!visible(r.access, await r.engine.getDeployment(id))) throw invalidRequest(404, `Deployment resources for deployment id '${id}' do not exist.`);
    const resources = await r.engine.getDeploymentResources(id);
    return ok(resources.map(resourceDto));
  });

  const resourceOr404 = async (r: RestRequest): Promise<ResourceRow> => {
    const { id, resourceId } = r.params as { id: string; resourceId: string };
    const deployment = visible(r.access, await r.engine.getDeployment(id));
    const res = deployment ? (await r.engine.getDeploymentResources(id)).find((x) => x.id === resourceId) : undefined;
    if (!res) throw invalidRequest(404, `Deployment resource with resource id '${resourceId}' for deployment id '${id}' does not exist.`);
    return res;
  };
  router.get('/deployment/:id/resources/:resourceId', 'READ', async (r) => ok(resourceDto(await resourceOr404(r))));
  router.get('/deployment/:id/resources/:resourceId/data', 'READ', async (r) => {
    const res = await resourceOr404(r);
    const filename = res.name.split('/').pop()!.replace(/["\\\r\n]/g, '_');
    return {
      status: 200,
      raw: { data: res.content, contentType: mediaType(res.name) },
      headers: { 'content-disposition': `attachment; filename="${filename}"` },
    };
  });

  router.delete('/deployment/:id', 'DEPLOY', async (r) => {
    const id = r.params['id']!;
    await deploymentOr404(r, id);
    await r.engine.deleteDeployment(id, { cascade: r.query.get('cascade') === 'true' });
    return { status: 204 };
  });

  router.post('/deployment/:id/redeploy', 'DEPLOY', async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    const previous = await deploymentOr404(r, id);
    const all = await r.engine.getDeploymentResources(id);
    const ids = body['resourceIds'];
    const names = body['resourceNames'];
    const source = body['source'];
    for (const [key, v] of [['resourceIds', ids], ['resourceNames', names]] as const) {
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
        throw invalidRequest(400, `'${key}' must be an array of strings`);
      }
    }
    if (source !== undefined && source !== null && typeof source !== 'string') throw invalidRequest(400, `'source' must be a string`);
    const wanted = (ids ?? names) ? all.filter((res) => (ids as string[] | null | undefined)?.includes(res.id) || (names as string[] | null | undefined)?.includes(res.name)) : all;
    for (const rid of (ids as string[] | null | undefined) ?? []) {
      if (!all.some((res) => res.id === rid)) throw invalidRequest(404, `Deployment resource with id '${rid}' does not exist in deployment '${id}'`);
    }
    for (const name of (names as string[] | null | undefined) ?? []) {
      if (!all.some((res) => res.name === name)) throw invalidRequest(404, `Deployment resource with name '${name}' does not exist in deployment '${id}'`);
    }
    if (wanted.length === 0) throw invalidRequest(400, `Deployment '${id}' has no resources to redeploy`);
    const result = await r.engine.deploy({
      name: previous.name,
      source: (source as string | null | undefined) ?? null,
      tenantId: previous.tenantId,
      resources: wanted.map((res) => ({ name: res.name, content: res.content })),
    });
    return ok(deploymentWithDefinitionsDto(r, result));
  });
}
