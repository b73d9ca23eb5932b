/**
 * `soap-http-connector`: Camunda Connect's SOAP connector — a POST of the
 * model's envelope with its headers, the answer as `statusCode`, `headers`
 * and `response` — plus what CadenzaFlow adds: SOAP 1.1/1.2 with the action
 * where each version wants it, body-only payloads wrapped into an envelope,
 * faults read and (when asked) raised, fault codes mapped to BPMN errors for
 * boundary events, and WSDL-driven calls through the `soap` package.
 */
import { BpmnError, ConnectorError, defineConnector, z, type ConnectorContext } from '../../plugins/index.js';
import { describeRequest, sendHttp, setDefaultHeader, statusError, type HttpAnswer } from '../http/http-client.js';
import { booleanish, headerMapInput, httpUrl, requestConfig, throwsHttpError, transportOptions } from '../http/http-input.js';
import { applySoapHeaders, describeFault, detectVersion, extractFault, isReceiverFault, mapFault, wrapEnvelope, type SoapFault, type SoapVersion } from './envelope.js';
import { invokeOperation, WsdlClients, type SoapCallContext } from './wsdl-client.js';

export const SOAP_CONNECTOR_ID = 'soap-http-connector';

const soapVersion = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.enum(['1.1', '1.2'], { message: "must be '1.1' or '1.2'" }));

export const soapInput = z
  .object({
    url: httpUrl.nullish().describe('The service endpoint; with wsdl it overrides the address the WSDL gives'),
    method: z
      .string()
      .trim()
      .toUpperCase()
      .pipe(z.literal('POST', { message: 'must be POST: the SOAP connector sends POST only, as Camunda does' }))
      .nullish(),
    headers: headerMapInput.nullish().describe('Request headers (a camunda:map), e.g. SOAPAction and Content-Type'),
    payload: z.string().nullish().describe('The SOAP envelope; with wrapEnvelope, only the content of its Body'),
    'request-config': requestConfig.nullish().describe("Camunda's request configuration options"),
    'throw-http-error': booleanish.nullish().describe('Fail the call on a 4xx/5xx answer that carries no mapped fault'),
    soapVersion: soapVersion.nullish().describe("'1.1' or '1.2'; default: read from the Content-Type header or the envelope, else 1.1"),
    soapAction: z.string().nullish().describe('The action: SOAPAction header (1.1) or action parameter of application/soap+xml (1.2)'),
    wrapEnvelope: booleanish.nullish().describe('Wrap payload (Body content) into an envelope of soapVersion'),
    soapHeader: z.string().nullish().describe('Header blocks (XML) for a wrapped envelope'),
    faultToBpmnError: z.record(z.string(), z.string().min(1)).nullish().describe('Fault code (as written or local name; * for any) to BPMN error code'),
    throwOnFault: booleanish.nullish().describe('Fail the call on an unmapped fault; default false (Camunda returns faults), true with wsdl'),
    wsdl: httpUrl.nullish().describe('WSDL URL for a WSDL-driven call'),
    operation: z.string().trim().min(1).nullish().describe('Operation of the WSDL: name, or Service.Port.operation'),
    args: z.record(z.string(), z.unknown()).nullish().describe('Arguments of the operation (a camunda:map or an expression)'),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.wsdl) {
      if (!v.operation) issue('operation', 'is required with wsdl');
      if (v.payload) issue('payload', 'cannot be combined with wsdl: the envelope is built from the WSDL and args');
      return;
    }
    if (!v.url) issue('url', 'is required');
    // Camunda: "No payload set": SOAP needs an envelope.
    if (!v.payload || v.payload.trim() === '') issue('payload', 'is required: the SOAP envelope, or its Body content with wrapEnvelope');
    if (v.operation || v.args) issue(v.operation ? 'operation' : 'args', 'needs wsdl');
  });

export type SoapInput = z.output<typeof soapInput>;

const faultOutput = z.object({
  version: z.enum(['1.1', '1.2']),
  code: z.string(),
  subcodes: z.array(z.string()),
  message: z.string(),
  actor: z.string().nullable(),
  detail: z.string().nullable(),
});

export const soapOutput = z.object({
  statusCode: z.number().describe('HTTP status code'),
  headers: z.record(z.string(), z.string()).describe("Response headers, under the server's spelling and lower-cased"),
  response: z.string().nullable().describe('The response envelope as text'),
  fault: faultOutput.nullable().describe('The fault in the response, if any'),
  result: z.unknown().describe('WSDL calls: the operation result as the soap package parses it; otherwise null'),
});

export type SoapOutput = z.output<typeof soapOutput>;

const wsdlClients = new WsdlClients(SOAP_CONNECTOR_ID);

function outputOf(answer: HttpAnswer, fault: SoapFault | null, result: unknown): SoapOutput {
  return { statusCode: answer.statusCode, headers: answer.headers, response: answer.body, fault: fault ? { ...fault, subcodes: [...fault.subcodes] } : null, result: result ?? null };
}

type Spec = { connectorId: string; activityId: string; method: 'POST'; url: string };

/**
 * A mapped fault is a BPMN error; an unmapped one fails the call when asked
 * (retryable only for Receiver/Server faults); then Camunda's
 * `throw-http-error` applies.
 */
function settle(input: SoapInput, spec: Spec, answer: HttpAnswer, throwOnFault: boolean): SoapFault | null {
  const fault = extractFault(answer.body);
  if (fault) {
    const errorCode = mapFault(fault, input.faultToBpmnError);
    if (errorCode !== undefined) throw new BpmnError(errorCode, fault.message || describeFault(fault));
    if (throwOnFault) throw new ConnectorError(SOAP_CONNECTOR_ID, `${describeRequest(spec)}: ${describeFault(fault)}`, { retryable: isReceiverFault(fault) });
  }
  if (throwsHttpError(input) && answer.statusCode >= 400 && answer.statusCode <= 599) throw statusError(spec, answer);
  return fault;
}

async function envelopeCall(input: SoapInput, ctx: ConnectorContext): Promise<SoapOutput> {
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  const payload = input.payload!;
  const version: SoapVersion = input.soapVersion ?? detectVersion(payload, headers);
  const body = input.wrapEnvelope ? wrapEnvelope(version, payload, input.soapHeader) : payload;
  applySoapHeaders(headers, version, input.soapAction);
  setDefaultHeader(headers, 'Idempotency-Key', ctx.idempotencyKey);
  const spec: Spec = { connectorId: SOAP_CONNECTOR_ID, activityId: ctx.activityId, method: 'POST', url: input.url! };
  const answer = await sendHttp({ ...spec, headers, body, signal: ctx.signal, options: transportOptions(input['request-config']) });
  const fault = settle(input, spec, answer, input.throwOnFault ?? false);
  return outputOf(answer, fault, null);
}

async function wsdlCall(input: SoapInput, ctx: ConnectorContext): Promise<SoapOutput> {
  const version: SoapVersion = input.soapVersion ?? '1.1';
  const client = await wsdlClients.get(input.wsdl!, version, input.url ?? null, ctx.activityId);
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  setDefaultHeader(headers, 'Idempotency-Key', ctx.idempotencyKey);
  // The client is shared by calls, so an action of the model's goes on this call's headers, not on the client.
  if (input.soapAction != null) applySoapHeaders(headers, version, input.soapAction);
  const call: SoapCallContext = { connectorId: SOAP_CONNECTOR_ID, activityId: ctx.activityId, signal: ctx.signal, options: transportOptions(input['request-config']) };
  let result: unknown;
  let failure: unknown = null;
  try {
    result = await invokeOperation(client, SOAP_CONNECTOR_ID, ctx.activityId, input.operation!, input.args ?? {}, call, headers);
  } catch (e) {
    if (e instanceof ConnectorError || e instanceof BpmnError || !call.answer) throw e;
    failure = e;
  }
  const answer = call.answer!;
  const spec: Spec = { connectorId: SOAP_CONNECTOR_ID, activityId: ctx.activityId, method: 'POST', url: call.url ?? input.url ?? input.wsdl! };
  const fault = settle(input, spec, answer, input.throwOnFault ?? true);
  if (failure && !fault) {
    // The soap package could not read the answer: a failing status says why, anything else is a broken contract.
    if (answer.statusCode >= 400) throw statusError(spec, answer);
    throw new ConnectorError(SOAP_CONNECTOR_ID, `${describeRequest(spec)}: cannot read the answer of operation '${input.operation!}': ${failure instanceof Error ? failure.message : String(failure)}`, {
      cause: failure,
      retryable: false,
    });
  }
  return outputOf(answer, fault, fault ? null : result);
}

export const soapHttpConnector = defineConnector({
  id: SOAP_CONNECTOR_ID,
  version: '1.0.0',
  name: 'SOAP Connector',
  description: "Calls a SOAP service over HTTP (Camunda Connect's soap-http-connector), with WSDL-driven calls and fault mapping",
  input: soapInput,
  output: soapOutput,
  target: (input) => new URL((input.url ?? input.wsdl)!).origin,
  execute: (input, ctx) => (input.wsdl ? wsdlCall(input, ctx) : envelopeCall(input, ctx)),
});
