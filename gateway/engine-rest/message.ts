/**
 * `/message`: correlates a message to a waiting execution or a message start
 * event. Camunda's MessageRestService: 204, or with `resultEnabled` 200 and a
 * list of MessageCorrelationResultWithVariableDto.
 */
import { EngineError, type CorrelationResult, type TypedValue } from '../../engine/index.js';
import { RestError, invalidRequest, restException, unsupported } from './errors.js';
import { executionDto } from './execution.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { processInstanceDto } from './process-instance.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';
import { fromVariableMapDto, toVariableMapDto } from './variables.js';

/** Date keys compare with Date variables, which the store keeps as ISO text. */
function correlationKeys(map: Record<string, TypedValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, tv] of Object.entries(map)) out[name] = tv.type === 'Date' && tv.value instanceof Date ? tv.value.toISOString() : tv;
  return out;
}

/** Camunda's "Cannot deliver message: …" for a request it cannot turn into a correlation. */
function variablesOf(body: Record<string, unknown>, key: string): Record<string, TypedValue> {
  try {
    return fromVariableMapDto(body[key], key);
  } catch (e) {
    if (e instanceof RestError) throw invalidRequest(e.status, `Cannot deliver message: ${e.message}`, e);
    throw e;
  }
}

/**
 * CadenzaFlow extension (message buffering on): how long a message that
 * matches nothing waits for a subscription — an ISO-8601 duration or
 * milliseconds. A buffered message answers 204, or `[]` with `resultEnabled`.
 */
function timeToLiveOf(body: Record<string, unknown>): string | number | null {
  const value = body['timeToLive'];
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'number') return value ?? null;
  throw invalidRequest(400, "Cannot deliver message: 'timeToLive' must be an ISO-8601 duration such as PT10M or a number of milliseconds");
}

async function resultDtos(r: RestRequest, results: CorrelationResult[]) {
  const tenants = new Map<string, string | null>();
  const tenantOf = async (definitionId: string) => {
    if (!tenants.has(definitionId)) tenants.set(definitionId, (await r.engine.getProcessDefinition(definitionId))?.tenantId ?? null);
    return tenants.get(definitionId)!;
  };
  const out = [];
  for (const res of results) {
    const tenantId = await tenantOf(res.definitionId);
    const byExecution = res.resultType === 'Execution';
    out.push({
      resultType: res.resultType,
      execution: byExecution ? executionDto({ id: res.executionId ?? res.processInstanceId, instanceId: res.processInstanceId, tenantId }, res.ended) : null,
      // A message start event cannot start a suspended instance.
      processInstance: byExecution
        ? null
        : processInstanceDto({ id: res.processInstanceId, definitionId: res.definitionId, businessKey: res.businessKey, tenantId, suspended: false, ended: res.ended }),
      // Camunda renders result variables serialized (preferSerializedValue).
      variables: res.variables ? toVariableMapDto(res.variables, false) : null,
    });
  }
  return out;
}

export function registerMessageRoutes(router: Router): void {
  router.post('/message', 'START', async (r) => {
    const body = asObject(await r.json());
    const messageName = optionalString(body, 'messageName');
    if (messageName === undefined || messageName === null) throw invalidRequest(400, 'No message name supplied');
    const tenantId = optionalString(body, 'tenantId') ?? null;
    const withoutTenantId = optionalBoolean(body, 'withoutTenantId') ?? false;
    if (tenantId !== null && withoutTenantId) {
      throw invalidRequest(400, "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.");
    }
    if (body['processVariablesToTriggeredScope'] !== undefined && body['processVariablesToTriggeredScope'] !== null) {
      throw unsupported("'processVariablesToTriggeredScope'");
    }
    const resultEnabled = optionalBoolean(body, 'resultEnabled') ?? false;
    const variablesInResultEnabled = optionalBoolean(body, 'variablesInResultEnabled') ?? false;
    let results: CorrelationResult[];
    try {
      results = await r.engine.correlateMessage({
        messageName,
        businessKey: optionalString(body, 'businessKey') ?? null,
        processInstanceId: optionalString(body, 'processInstanceId') ?? null,
        correlationKeys: correlationKeys(variablesOf(body, 'correlationKeys')),
        localCorrelationKeys: variablesOf(body, 'localCorrelationKeys'),
        processVariables: variablesOf(body, 'processVariables'),
        processVariablesLocal: variablesOf(body, 'processVariablesLocal'),
        tenantId,
        withoutTenantId,
        tenantIdIn: r.access.tenantIds(),
        all: optionalBoolean(body, 'all') ?? false,
        timeToLive: timeToLiveOf(body),
        variablesInResultEnabled: resultEnabled && variablesInResultEnabled,
        userId: r.userId,
      });
    } catch (e) {
      // Camunda wraps MismatchingMessageCorrelationException in a 400 RestException with its message.
      if (e instanceof EngineError && e.camundaType === 'MismatchingMessageCorrelationException') throw restException(400, e.message, e);
      throw e;
    }
    return resultEnabled ? ok(await resultDtos(r, results)) : noContent();
  });
}
