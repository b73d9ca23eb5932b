/**
 * `/execution`: query, single executions, signal (receive tasks), local
 * variables. Camunda's ExecutionRestService and ExecutionResource.
 */
import type { ExecutionFilter, ExecutionRow } from '../../engine/index.js';
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

export function registerExecutionRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = executionFilter(p);
    sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findExecutions(filter, page)).map((e) => executionDto(e)));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.store.countExecutions(executionFilter(await filtersOf(r))));
  router.get('/execution', list).post('/execution', list);
  router.get('/execution/count', count).post('/execution/count', count);

  router.get('/execution/:id', async (r) => {
    const id = r.params['id']!;
    const [e] = await r.engine.findExecutions({ id });
    if (!e) throw invalidRequest(404, `Execution with id ${id} does not exist`);
    return ok(executionDto(e));
  });

  router.post('/execution/:id/signal', async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    await withContext(`Cannot signal execution ${id}`, async () => {
      await r.engine.signalExecution(id, fromVariableMapDto(body['variables']));
    });
    return noContent();
  });

  registerVariableRoutes(router, '/execution', 'localVariables', {
    typeName: 'execution',
    get: (r, id) => r.engine.getVariables(id, true),
    set: (r, id, variables) => r.engine.setVariables(id, variables, { local: true }),
    remove: (r, id, names) => r.engine.setVariables(id, {}, { local: true, remove: names }),
    modify: (r, id, variables, names) => r.engine.setVariables(id, variables, { local: true, remove: names }),
  });
}
