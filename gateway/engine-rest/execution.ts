/**
 * `/execution`: query, single executions, signal (receive tasks), local
 * variables. Camunda's ExecutionRestService and ExecutionResource.
 */
import type { ExecutionFilter, ExecutionRow } from '../../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible } from '../../schema/access.js';
import { invalidRequest, withContext } from './errors.js';
import { asObject } from './json.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, rejectUnsupported, type Params } from './params.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';
import { registerVariableRoutes } from './variable-resource.js';
import { fromVariableMapDto } from './variables.js';

/** Camunda's execution sort keys; the store cannot sort executions yet. */
const SORT = { instanceId: null, definitionKey: null, definitionId: null, tenantId: null } as const;

/** Camunda's ExecutionDto. */
export function executionDto(e: Pick<ExecutionRow, 'id' | 'instanceId' | 'tenantId'>, ended = false) {
  return { id: e.id, processInstanceId: e.instanceId, ended, tenantId: e.tenantId };
}

function executionFilter(p: Params): ExecutionFilter {
  // Camunda's `active`/`suspended` are suspension states, which the execution filter cannot express.
  rejectUnsupported(p, [
    'processDefinitionKey', 'signalEventSubscriptionName', 'messageEventSubscriptionName', 'active', 'suspended',
    'incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike', 'variables', 'processVariables', 'withoutTenantId',
  ]);
  return compact({
    instanceId: p.string('processInstanceId'),
    businessKey: p.string('businessKey'),
    definitionId: p.string('processDefinitionId'),
    activityId: p.string('activityId'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

/** An execution of a tenant the caller may not see fails as the engine fails for a missing one. */
async function guard(r: RestRequest, id: string): Promise<void> {
  const [e] = await r.engine.findExecutions({ id });
  hideOtherTenants(r.access, e, `Execution with id '${id}' does not exist`);
}

export function registerExecutionRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, executionFilter(p));
    sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findExecutions(filter, page)).map((e) => executionDto(e)));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.store.countExecutions(scopeToTenants(r.access, executionFilter(await filtersOf(r)))));
  router.get('/execution', 'READ', list).post('/execution', 'READ', list);
  router.get('/execution/count', 'READ', count).post('/execution/count', 'READ', count);

  router.get('/execution/:id', 'READ', async (r) => {
    const id = r.params['id']!;
    const e = visible(r.access, (await r.engine.findExecutions({ id }))[0]);
    if (!e) throw invalidRequest(404, `Execution with id ${id} does not exist`);
    return ok(executionDto(e));
  });

  router.post('/execution/:id/signal', 'START', async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    await withContext(`Cannot signal execution ${id}`, async () => {
      await guard(r, id);
      await r.engine.signalExecution(id, fromVariableMapDto(body['variables']));
    });
    return noContent();
  });

  registerVariableRoutes(router, '/execution', 'localVariables', {
    typeName: 'execution',
    write: 'OPERATE',
    guard: (r, id) => guard(r, id),
    get: (r, id) => r.engine.getVariables(id, true),
    set: (r, id, variables) => r.engine.setVariables(id, variables, { local: true }),
    remove: (r, id, names) => r.engine.setVariables(id, {}, { local: true, remove: names }),
    modify: (r, id, variables, names) => r.engine.setVariables(id, variables, { local: true, remove: names }),
  });
}
