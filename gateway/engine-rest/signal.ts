/**
 * `/signal`: broadcasts a signal to every waiting subscription and signal
 * start event, or delivers it to one execution. Camunda's SignalRestService.
 */
import { RestError, invalidRequest } from './errors.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { noContent, type Router } from './router.js';
import { fromVariableMapDto } from './variables.js';

export function registerSignalRoutes(router: Router): void {
  router.post('/signal', 'START', async (r) => {
    const body = asObject(await r.json());
    const name = optionalString(body, 'name');
    if (name === undefined || name === null) throw invalidRequest(400, 'No signal name given');
    const executionId = optionalString(body, 'executionId') ?? null;
    const tenantId = optionalString(body, 'tenantId') ?? null;
    const withoutTenantId = optionalBoolean(body, 'withoutTenantId') ?? false;
    if (executionId !== null && (tenantId !== null || withoutTenantId)) {
      // Camunda's SignalEventReceivedBuilder refuses this combination with a BadUserRequestException.
      throw new RestError(400, 'BadUserRequestException', 'Cannot specify a tenant-id when deliver a signal to a single execution.', 0);
    }
    // An execution without that subscription is the engine's error, a 500 as in Camunda.
    await r.engine.broadcastSignal({
      signalName: name,
      executionId,
      variables: fromVariableMapDto(body['variables']),
      tenantId,
      withoutTenantId,
      tenantIdIn: r.access.tenantIds(),
      userId: r.userId,
    });
    return noContent();
  });
}
