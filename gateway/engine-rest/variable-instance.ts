/**
 * `/variable-instance`: query runtime variables across instances, executions
 * and tasks. Camunda's VariableInstanceRestService.
 */
import type { VariableFilter, VariableRow } from '../../engine/index.js';
import { scopeToTenants } from '../../schema/access.js';
import { countOf, filtersOf, listPage, sortingOf } from './paging.js';
import { compact, rejectUnsupported, type Params } from './params.js';
import type { RestRequest, Router } from './router.js';
import { deserializeParam, toVariableValueDto } from './variables.js';

/** Camunda's sort keys; the store cannot sort variables yet. */
const SORT = { variableName: null, variableType: null, activityInstanceId: null, tenantId: null } as const;

export function variableInstanceDto(v: VariableRow, deserialize: boolean) {
  return {
    id: v.id,
    name: v.name,
    ...toVariableValueDto(v.value, deserialize),
    processDefinitionId: v.definitionId,
    processInstanceId: v.instanceId,
    executionId: v.executionId,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: v.taskId,
    batchId: null,
    activityInstanceId: v.activityInstanceId,
    errorMessage: null,
    tenantId: v.tenantId,
  };
}

function variableFilter(p: Params): VariableFilter {
  rejectUnsupported(p, ['caseInstanceIdIn', 'caseExecutionIdIn', 'caseActivityIdIn', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase', 'variableScopeIdIn']);
  return compact({
    instanceIdIn: p.list('processInstanceIdIn'),
    executionIdIn: p.list('executionIdIn'),
    activityInstanceIdIn: p.list('activityInstanceIdIn'),
    taskIdIn: p.list('taskIdIn'),
    name: p.string('variableName'),
    nameIn: p.list('variableNameIn'),
    nameLike: p.string('variableNameLike'),
    tenantIdIn: p.list('tenantIdIn'),
    values: p.variables('variableValues'),
  });
}

export function registerVariableInstanceRoutes(router: Router): void {
  const list = async (r: RestRequest) => {
    const p = await filtersOf(r);
    const filter = scopeToTenants(r.access, variableFilter(p));
    sortingOf(p.sorting(), SORT);
    const deserialize = deserializeParam(r.query);
    return listPage(r, async (page) => (await r.engine.findVariables(filter, page)).map((v) => variableInstanceDto(v, deserialize)));
  };
  const count = async (r: RestRequest) => countOf(await r.engine.store.countVariables(scopeToTenants(r.access, variableFilter(await filtersOf(r)))));
  router.get('/variable-instance', 'READ', list).post('/variable-instance', 'READ', list);
  router.get('/variable-instance/count', 'READ', count).post('/variable-instance/count', 'READ', count);
}
