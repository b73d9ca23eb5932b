/**
 * `/condition`: evaluates the conditional start events of the deployed
 * processes with the given variables; each one that holds starts an instance.
 * Camunda's ConditionRestService: a list of ProcessInstanceDto.
 */
import { hideOtherTenants } from '../../schema/access.js';
import { invalidRequest } from './errors.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { processInstanceDto } from './process-instance.js';
import { ok, type Router } from './router.js';
import { fromVariableMapDto } from './variables.js';

export function registerConditionRoutes(router: Router): void {
  router.post('/condition', 'START', async (r) => {
    const body = asObject(await r.json());
    const tenantId = optionalString(body, 'tenantId') ?? null;
    const withoutTenantId = optionalBoolean(body, 'withoutTenantId') ?? false;
    if (tenantId !== null && withoutTenantId) {
      throw invalidRequest(400, "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.");
    }
    const processDefinitionId = optionalString(body, 'processDefinitionId') ?? null;
    if (processDefinitionId !== null) {
      hideOtherTenants(r.access, await r.engine.getProcessDefinition(processDefinitionId), `No process definition found with id '${processDefinitionId}'`);
    }
    // A caller bound to tenants evaluates only their definitions.
    const bound = r.access.tenantIds();
    const started = await r.engine.evaluateConditions({
      variables: fromVariableMapDto(body['variables']),
      businessKey: optionalString(body, 'businessKey') ?? null,
      processDefinitionId,
      tenantId,
      withoutTenantId,
      ...(bound === null ? {} : { tenantIdIn: bound }),
      userId: r.userId,
    });
    return ok(started.map((pi) => processInstanceDto(pi)));
  });
}
