/**
 * `http-connector`: Camunda Connect's HTTP connector. A model's
 * `camunda:connector` with `url`, `method`, `headers` and `payload` input
 * parameters sends one request; output parameters read `statusCode`,
 * `headers` and `response`. As in Camunda, a 4xx/5xx answer is a result the
 * model inspects, unless `throw-http-error` asks for a failure.
 */
import { defineConnector, z } from '../../plugins/index.js';
import { HTTP_METHODS, BODYLESS_METHODS, isJsonMediaType, sendHttp, setDefaultHeader, statusError, type HttpAnswer, type HttpMethod } from './http-client.js';
import { booleanish, headerMapInput, httpUrl, requestConfig, throwsHttpError, transportOptions } from './http-input.js';

export const HTTP_CONNECTOR_ID = 'http-connector';

const method = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(HTTP_METHODS, { message: `must be one of ${HTTP_METHODS.join(', ')}` }));

export const httpInput = z.object({
  url: httpUrl.describe('The request URL (absolute http:// or https://)'),
  method: method.default('GET').describe('HTTP method; Camunda requires it, CadenzaFlow defaults to GET'),
  headers: headerMapInput.nullish().describe('Request headers (a camunda:map)'),
  payload: z.unknown().optional().describe('Request body: text as is; a map or list is sent as JSON with Content-Type application/json'),
  'request-config': requestConfig.nullish().describe("Camunda's request configuration options (connection-timeout, socket-timeout, throw-http-error, …)"),
  'throw-http-error': booleanish.nullish().describe('Fail the call on a 4xx/5xx answer instead of returning it'),
});

export type HttpInput = z.output<typeof httpInput>;

export const httpOutput = z.object({
  statusCode: z.number().describe('HTTP status code'),
  headers: z.record(z.string(), z.string()).describe("Response headers, under the server's spelling and lower-cased"),
  response: z.string().nullable().describe('Response body as text'),
  responseJson: z.unknown().describe('The body parsed, when the response is JSON; otherwise null'),
});

export type HttpOutput = z.output<typeof httpOutput>;

/** The request body and any header it implies. */
function requestBody(payload: unknown, m: HttpMethod, headers: Record<string, string>): string | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (BODYLESS_METHODS.has(m)) return undefined;
  if (typeof payload === 'string') return payload;
  if (typeof payload === 'object') {
    setDefaultHeader(headers, 'Content-Type', 'application/json; charset=utf-8');
    return JSON.stringify(payload);
  }
  return String(payload);
}

/** The body parsed when the server says it is JSON; a malformed body is left to the model, as Camunda would. */
export function parseJsonBody(answer: HttpAnswer): unknown {
  if (answer.body === null || answer.body === '' || !isJsonMediaType(answer.mediaType)) return null;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return null;
  }
}

export const httpConnector = defineConnector({
  id: HTTP_CONNECTOR_ID,
  version: '1.0.0',
  name: 'HTTP Connector',
  description: "Calls an HTTP endpoint (Camunda Connect's http-connector)",
  input: httpInput,
  output: httpOutput,
  target: (input) => new URL(input.url).origin,
  async execute(input, ctx): Promise<HttpOutput> {
    const headers: Record<string, string> = { ...(input.headers ?? {}) };
    const body = requestBody(input.payload, input.method, headers);
    if (body === undefined && input.payload != null) ctx.logger.info(`Ignoring payload for HTTP '${input.method}' method`, { activityId: ctx.activityId });
    // Targets that deduplicate see the same key on every retry of this activity's call.
    setDefaultHeader(headers, 'Idempotency-Key', ctx.idempotencyKey);
    const spec = { connectorId: HTTP_CONNECTOR_ID, activityId: ctx.activityId, method: input.method, url: input.url, headers, body, signal: ctx.signal, options: transportOptions(input['request-config']) };
    const answer = await sendHttp(spec);
    if (throwsHttpError(input) && answer.statusCode >= 400 && answer.statusCode <= 599) throw statusError(spec, answer);
    return { statusCode: answer.statusCode, headers: answer.headers, response: answer.body, responseJson: parseJsonBody(answer) };
  },
});
