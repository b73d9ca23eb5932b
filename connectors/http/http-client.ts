/**
 * The HTTP transport the `http-connector` and the `soap-http-connector`
 * share: one got instance over keep-alive agents, no got-internal retries
 * (the engine's resilience retries, with backoff and a circuit breaker), the
 * redirect rule of Camunda Connect's Apache client, and every failure turned
 * into a ConnectorError that says whether trying again can help.
 */
import http from 'node:http';
import https from 'node:https';
import got, { MaxRedirectsError, RequestError, TimeoutError, type Response } from 'got';
import { ConnectorError } from '../../plugins/index.js';

/** Camunda Connect's methods (Apache's HttpGet … HttpTrace); anything else is refused. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Methods whose requests carry no entity in Camunda Connect: a payload is ignored (and logged), as there. */
export const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Statuses after which the same request may succeed: the target is
 * overloaded, restarting or timed out. Every other 4xx says the request is
 * wrong and every other 5xx (501, 505, …) that the target cannot do it, so
 * retrying would only repeat the answer.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Network failures that mean "the target cannot be used as configured": retrying cannot help. */
const PERMANENT_CODES = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_PROTOCOL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TOO_MANY_REDIRECTS',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/** Keep-alive agents shared by every call: a busy process reuses connections instead of paying a handshake per call. */
const agents = {
  http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

const client = got.extend({
  agent: agents,
  retry: { limit: 0 },
  throwHttpErrors: false,
  responseType: 'text',
  decompress: true,
  // got's cache and its 10-redirect default are not what Camunda's Apache client does.
  cache: false,
  maxRedirects: 50,
  headers: { 'user-agent': 'CadenzaFlow-Connect' },
});

/** How one request is sent, in the words of Camunda's `request-config`. */
export interface TransportOptions {
  /** `connection-timeout`: time to open the connection, ms. */
  readonly connectTimeoutMs?: number;
  /** `socket-timeout`: longest silence on the socket, ms. */
  readonly socketTimeoutMs?: number;
  /** `response-timeout`: time until the response starts, ms. */
  readonly responseTimeoutMs?: number;
  /** `redirects-enabled`, default true. */
  readonly followRedirects?: boolean;
  /** `max-redirects`, default 50 (Apache's). */
  readonly maxRedirects?: number;
}

export interface HttpRequestSpec {
  readonly connectorId: string;
  readonly activityId: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly signal: AbortSignal;
  readonly options?: TransportOptions;
}

export interface HttpAnswer {
  readonly statusCode: number;
  /** Header names as the server spelt them (Camunda's map) plus a lower-case alias for each. */
  readonly headers: Record<string, string>;
  /** The body as text; null when the response has none (HEAD, 204, 304), as Camunda's `response`. */
  readonly body: string | null;
  /** The media type without parameters, lower-cased; null when absent. */
  readonly mediaType: string | null;
}

/** Sends one request; a response with any status is an answer, only transport failures throw. */
export async function sendHttp(spec: HttpRequestSpec): Promise<HttpAnswer> {
  const o = spec.options ?? {};
  const follow = o.followRedirects ?? true;
  let res: Response<string>;
  try {
    res = await client(spec.url, {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      signal: spec.signal,
      // Apache's default strategy: redirects are followed for GET and HEAD, and a 303 for every method.
      followRedirect: follow ? (r) => spec.method === 'GET' || spec.method === 'HEAD' || r.statusCode === 303 : false,
      ...(o.maxRedirects !== undefined ? { maxRedirects: o.maxRedirects } : {}),
      timeout: {
        ...(o.connectTimeoutMs ? { connect: o.connectTimeoutMs } : {}),
        ...(o.socketTimeoutMs ? { socket: o.socketTimeoutMs } : {}),
        ...(o.responseTimeoutMs ? { response: o.responseTimeoutMs } : {}),
      },
    });
  } catch (e) {
    throw transportError(spec, e);
  }
  const headers = headerMap(res.rawHeaders);
  const contentType = res.headers['content-type'];
  const empty = spec.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
  return {
    statusCode: res.statusCode,
    headers,
    body: empty && res.body === '' ? null : res.body,
    mediaType: contentType ? contentType.split(';')[0]!.trim().toLowerCase() : null,
  };
}

/**
 * Camunda fills a HashMap with each header under the server's spelling, so
 * models read `headers['Content-Type']`; Node reports names lower-cased. Both
 * work here: the server's spelling, and a lower-case alias when that differs.
 * Repeated headers are joined with ", " (Camunda keeps only the last).
 */
export function headerMap(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    const key = spelling.get(lower) ?? name;
    spelling.set(lower, key);
    out[key] = out[key] === undefined ? raw[i + 1]! : `${out[key]}, ${raw[i + 1]!}`;
  }
  for (const [lower, key] of spelling) if (lower !== key) out[lower] = out[key]!;
  return out;
}

/** Sets a header unless the model set it already, under any spelling. */
export function setDefaultHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (Object.keys(headers).some((k) => k.toLowerCase() === lower)) return;
  headers[name] = value;
}

/** The value of a header under any spelling. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function describeRequest(spec: Pick<HttpRequestSpec, 'connectorId' | 'activityId' | 'method' | 'url'>): string {
  return `Connector '${spec.connectorId}' of activity '${spec.activityId}': ${spec.method} ${spec.url}`;
}

function transportError(spec: HttpRequestSpec, e: unknown): Error {
  // Aborted by the engine (timeout, shutdown): its reason is the failure to report.
  if (spec.signal.aborted) return spec.signal.reason instanceof Error ? spec.signal.reason : new ConnectorError(spec.connectorId, `${describeRequest(spec)} was aborted`);
  const what = describeRequest(spec);
  if (e instanceof TimeoutError) return new ConnectorError(spec.connectorId, `${what} timed out (${e.event} timeout of request-config)`, { cause: e });
  if (e instanceof MaxRedirectsError) return new ConnectorError(spec.connectorId, `${what} failed: more than ${spec.options?.maxRedirects ?? 50} redirects`, { cause: e, retryable: false });
  if (e instanceof RequestError) {
    return new ConnectorError(spec.connectorId, `${what} failed: ${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}`, {
      cause: e,
      retryable: !PERMANENT_CODES.has(e.code),
    });
  }
  return new ConnectorError(spec.connectorId, `${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/**
 * Camunda's `throw-http-error` failure for a 4xx/5xx answer, classified:
 * retryable for RETRYABLE_STATUSES (with the server's Retry-After as the next
 * delay), not retryable otherwise.
 */
export function statusError(spec: Pick<HttpRequestSpec, 'connectorId' | 'activityId' | 'method' | 'url'>, answer: HttpAnswer, now = Date.now()): ConnectorError {
  const retryable = RETRYABLE_STATUSES.has(answer.statusCode);
  const delay = retryable ? retryAfterMs(headerValue(answer.headers, 'retry-after'), now) : undefined;
  const body = answer.body === null ? '' : `; response: ${truncate(answer.body, 500)}`;
  return new ConnectorError(spec.connectorId, `${describeRequest(spec)}: HTTP request failed with status code ${answer.statusCode}${body}`, {
    retryable,
    ...(delay !== undefined ? { nextRetryDelayMs: delay } : {}),
  });
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date; unreadable values are ignored. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isJsonMediaType(mediaType: string | null): boolean {
  return mediaType !== null && (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json'));
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
