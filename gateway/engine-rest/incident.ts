/**
 * `/incident`: query, single incidents, resolution and annotations.
 * Camunda's IncidentRestService and IncidentResource.
 *
 * Resolving a failedJob (or failedExternalTask) incident is refused with 400
 * as in Camunda: such an incident goes away when the job gets retries again
 * (`PUT /job/{id}/retries`), not by deleting it.
 */
import type { IncidentFilter, IncidentRow } from '../../engine/index.js';
import { scopeToTenants, visible } from '../../schema/access.js';
import { RestError, invalidRequest } from './errors.js';
import { asObject, formatDate, optionalString } from './json.js';
import { countOf, listPage, sortingOf } from './paging.js';
import { compact, queryParams, rejectUnsupported, type Params } from './params.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';

/** Camunda's incident sort keys; the store cannot sort incidents yet (they come oldest first). */
const SORT = {
  incidentId: null,
  incidentMessage: null,
  incidentTimestamp: null,
  incidentType: null,
  executionId: null,
  activityId: null,
  processInstanceId: null,
  processDefinitionId: null,
  causeIncidentId: null,
  rootCauseIncidentId: null,
  configuration: null,
  tenantId: null,
} as const;

/** Incident types Camunda's RuntimeService.resolveIncident refuses. */
const NOT_RESOLVABLE = new Set(['failedJob', 'failedExternalTask']);

/** Camunda's IncidentDto. Incidents here have no causes of their own: each is its own cause and root cause, as Camunda's root incidents. */
export function incidentDto(i: IncidentRow) {
  return {
    id: i.id,
    processDefinitionId: i.definitionId,
    processInstanceId: i.instanceId,
    executionId: i.executionId,
    incidentTimestamp: formatDate(i.createTime),
    incidentType: i.type,
    activityId: i.activityId,
    failedActivityId: i.activityId,
    causeIncidentId: i.id,
    rootCauseIncidentId: i.id,
    configuration: i.configuration,
    tenantId: i.tenantId,
    incidentMessage: i.message,
    jobDefinitionId: i.jobDefinitionId,
    annotation: i.annotation,
  };
}

function incidentFilter(p: Params): IncidentFilter {
  rejectUnsupported(p, [
    'incidentMessage', 'incidentMessageLike', 'processDefinitionKeyIn', 'incidentTimestampBefore', 'incidentTimestampAfter',
    'failedActivityId', 'causeIncidentId', 'rootCauseIncidentId', 'withoutTenantId',
  ]);
  return compact({
    id: p.string('incidentId'),
    type: p.string('incidentType'),
    instanceId: p.string('processInstanceId'),
    executionId: p.string('executionId'),
    definitionId: p.string('processDefinitionId'),
    activityId: p.string('activityId'),
    configuration: p.string('configuration'),
    jobDefinitionIdIn: p.list('jobDefinitionIdIn'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

/** The incident, or null when missing or of a tenant the caller may not see. */
async function find(r: RestRequest, id: string): Promise<IncidentRow | null> {
  const [row] = await r.engine.findIncidents({ id });
  return visible(r.access, row);
}

/** Camunda's SetAnnotationForIncidentCmd refuses an unknown incident as a bad request. */
async function annotate(r: RestRequest, annotation: string | null) {
  const id = r.params['id']!;
  if (!(await find(r, id))) throw new RestError(400, 'BadUserRequestException', 'incident is null', 0);
  await r.engine.setIncidentAnnotation(id, annotation);
  return noContent();
}

export function registerIncidentRoutes(router: Router): void {
  router.get('/incident', 'READ', async (r) => {
    const p = queryParams(r.query);
    const filter = scopeToTenants(r.access, incidentFilter(p));
    sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findIncidents(filter, page)).map(incidentDto));
  });
  router.get('/incident/count', 'READ', async (r) => countOf(await r.engine.countIncidents(scopeToTenants(r.access, incidentFilter(queryParams(r.query))))));

  router.get('/incident/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const row = await find(r, id);
    if (!row) throw invalidRequest(404, `No matching incident with id ${id}`);
    return ok(incidentDto(row));
  });

  router.delete('/incident/:id', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    const row = await find(r, id);
    if (!row) throw invalidRequest(404, `Cannot find an incident with id '${id}': incident is null`);
    if (NOT_RESOLVABLE.has(row.type)) throw invalidRequest(400, `Cannot resolve an incident of type ${row.type}`);
    await r.engine.resolveIncident(id);
    return noContent();
  });

  router.put('/incident/:id/annotation', 'OPERATE', async (r) => annotate(r, optionalString(asObject(await r.json()), 'annotation') ?? null));
  router.delete('/incident/:id/annotation', 'OPERATE', (r) => annotate(r, null));
}
