/**
 * `/process-instance`: query (GET and POST), single instances, deletion,
 * variables, the activity-instance tree, suspension. Camunda's
 * ProcessInstanceRestService and ProcessInstanceResource.
 */
import type { ActivityInstance, ProcessInstanceFilter } from '../../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible } from '../../schema/access.js';
import { RestError, invalidRequest, notFoundAs, unsupported } from './errors.js';
import { asObject, optionalBoolean } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, flag, rejectUnsupported, suspension, type Params } from './params.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';
import { registerVariableRoutes } from './variable-resource.js';

const SORT = {
  instanceId: 'id',
  definitionKey: 'definitionKey',
  definitionId: 'definitionId',
  tenantId: 'tenantId',
  businessKey: 'businessKey',
} as const;

/** Camunda's ProcessInstanceDto (`ended` is deprecated there and false for running instances). */
export function processInstanceDto(
  pi: { id: string; definitionId: string; businessKey: string | null; tenantId: string | null; suspended: boolean; ended?: boolean },
  links: unknown[] = [],
) {
  return {
    links,
    id: pi.id,
    definitionId: pi.definitionId,
    businessKey: pi.businessKey,
    caseInstanceId: null,
    ended: pi.ended ?? false,
    suspended: pi.suspended,
    tenantId: pi.tenantId,
  };
}

interface ActivityInstanceDto extends Omit<ActivityInstance, 'childActivityInstances' | 'childTransitionInstances'> {
  childActivityInstances: ActivityInstanceDto[];
  childTransitionInstances: (ActivityInstance['childTransitionInstances'][number] & { incidentIds: string[]; incidents: unknown[] })[];
  name: string | null;
  incidentIds: string[];
  incidents: unknown[];
}

/** Camunda's ActivityInstanceDto: the engine's tree plus `name` and the (always empty) incidents. */
function activityInstanceDto(ai: ActivityInstance): ActivityInstanceDto {
  return {
    id: ai.id,
    parentActivityInstanceId: ai.parentActivityInstanceId,
    activityId: ai.activityId,
    activityType: ai.activityType,
    processInstanceId: ai.processInstanceId,
    processDefinitionId: ai.processDefinitionId,
    childActivityInstances: ai.childActivityInstances.map(activityInstanceDto),
    // Camunda's TransitionInstanceDto: an execution waiting for an asynchronous continuation.
    childTransitionInstances: ai.childTransitionInstances.map((ti) => ({ ...ti, incidentIds: [], incidents: [] })),
    executionIds: ai.executionIds,
    activityName: ai.activityName,
    name: ai.activityName,
    incidentIds: [],
    incidents: [],
  };
}

function instanceFilter(p: Params): ProcessInstanceFilter {
  rejectUnsupported(p, [
    'caseInstanceId', 'superCaseInstance', 'subCaseInstance', 'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike',
    'withIncident', 'rootProcessInstances', 'leafProcessInstances', 'processDefinitionWithoutTenantId', 'orQueries',
  ]);
  if (flag(p, 'variableNamesIgnoreCase') || flag(p, 'variableValuesIgnoreCase')) throw unsupported('Case-insensitive variable filters');
  const tenantIdIn = p.list('tenantIdIn');
  return compact({
    idIn: p.list('processInstanceIds'),
    businessKey: p.string('businessKey'),
    businessKeyLike: p.string('businessKeyLike'),
    definitionId: p.string('processDefinitionId'),
    definitionKey: p.string('processDefinitionKey'),
    definitionKeyIn: p.list('processDefinitionKeyIn'),
    definitionKeyNotIn: p.list('processDefinitionKeyNotIn'),
    deploymentId: p.string('deploymentId'),
    superInstanceId: p.string('superProcessInstance'),
    subInstanceId: p.string('subProcessInstance'),
    rootInstanceId: p.string('rootProcessInstanceId'),
    suspended: suspension(p),
    tenantIdIn,
    withoutTenantId: flag(p, 'withoutTenantId'),
    activityIdIn: p.list('activityIdIn'),
    variables: p.variables('variables'),
  });
}

const missing = (id: string) => `Process instance with id ${id} does not exist`;

async function existing(r: RestRequest, id: string) {
  const pi = visible(r.access, await r.engine.getProcessInstance(id));
  if (!pi) throw invalidRequest(404, missing(id));
  return pi;
}

/** An instance of a tenant the caller may not see fails as the engine fails for a missing one. */
async function guard(r: RestRequest, id: string, missingMessage = `Process instance with id '${id}' does not exist`): Promise<void> {
  hideOtherTenants(r.access, await r.engine.getProcessInstance(id), missingMessage);
}

export function registerProcessInstanceRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, instanceFilter(p));
    const sort = sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findProcessInstances(filter, page, sort)).map((pi) => processInstanceDto(pi)));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.countProcessInstances(scopeToTenants(r.access, instanceFilter(await filtersOf(r)))));
  router.get('/process-instance', 'READ', list).post('/process-instance', 'READ', list);
  router.get('/process-instance/count', 'READ', count).post('/process-instance/count', 'READ', count);

  router.get('/process-instance/:id', 'READ', async (r) => ok(processInstanceDto(await existing(r, r.params['id']!))));

  router.delete('/process-instance/:id', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    for (const option of ['skipCustomListeners', 'skipIoMappings', 'skipSubprocesses']) {
      if (r.query.get(option) === 'true') throw unsupported(`'${option}'`);
    }
    const failIfNotExists = r.query.get('failIfNotExists') !== 'false';
    try {
      await notFoundAs(missing(id), async () => {
        await guard(r, id);
        await r.engine.deleteProcessInstance(id);
      });
    } catch (e) {
      if (!failIfNotExists && e instanceof RestError && e.status === 404) return noContent();
      throw e;
    }
    return noContent();
  });

  router.get('/process-instance/:id/activity-instances', 'READ', async (r) => {
    const id = r.params['id']!;
    await existing(r, id);
    return ok(activityInstanceDto(await notFoundAs(missing(id), () => r.engine.getActivityInstanceTree(id))));
  });

  router.put('/process-instance/:id/suspended', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    const suspended = optionalBoolean(asObject(await r.json()), 'suspended');
    if (suspended === undefined) throw invalidRequest(400, `'suspended' is required`);
    await notFoundAs(missing(id), async () => {
      await guard(r, id);
      await r.engine.suspendProcessInstance(id, suspended);
    });
    return noContent();
  });

  // A process instance's variables are its root execution's (same id).
  registerVariableRoutes(router, '/process-instance', 'variables', {
    typeName: 'process instance',
    write: 'OPERATE',
    // The engine reads an instance's variables through its root execution, and fails as for one.
    guard: (r, id) => guard(r, id, `Execution with id '${id}' does not exist`),
    get: (r, id) => r.engine.getVariables(id),
    set: (r, id, variables) => r.engine.setVariables(id, variables),
    remove: (r, id, names) => r.engine.setVariables(id, {}, { remove: names }),
    modify: (r, id, variables, names) => r.engine.setVariables(id, variables, { remove: names }),
  });
}
