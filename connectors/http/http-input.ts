/**
 * The input parameters the HTTP and SOAP connectors share, as zod schemas:
 * checked at deployment where the model gives static text, and at run time.
 * Static text arrives as strings, so booleans and numbers also accept their
 * text form.
 */
import { z } from '../../plugins/index.js';
import type { TransportOptions } from './http-client.js';

/** `{{secrets.NAME}}` is resolved only at call time; a URL that holds one is checked with a stand-in. */
const SECRET_REF = /\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}/g;

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text.replace(SECRET_REF, 'secret'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An absolute http(s) URL; surrounding whitespace (CDATA layouts) is dropped. */
export const httpUrl = z
  .string()
  .trim()
  .refine(isHttpUrl, { message: 'must be an absolute http:// or https:// URL' });

/** Java's Boolean.parseBoolean is case-insensitive; unlike it, text other than true/false is refused rather than read as false. */
export const booleanish = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false']))
    .transform((v) => v === 'true'),
]);

/** Milliseconds as a number or its text; Camunda reads `request-config` timeouts as integers. */
export const millis = z.union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a whole number of milliseconds').transform(Number)]).pipe(z.number().int().min(0));

/** Request headers (a `camunda:map`): names to values; numbers and booleans are sent as their text. */
export const headerMapInput = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name'),
  z
    .union([z.string(), z.number(), z.boolean()])
    .transform(String)
    // A line break in a value would end the header and start another: refused, never sent.
    .pipe(z.string().regex(/^[^\r\n\0]*$/, 'must not contain line breaks')),
);

/**
 * Camunda's `request-config` map. The options Node can honour are applied;
 * Apache-only ones (cookie-spec, proxy, …) are accepted and ignored, as
 * Camunda ignores options it does not know.
 */
export const requestConfig = z
  .object({
    'throw-http-error': booleanish.optional(),
    'connection-timeout': millis.optional(),
    'socket-timeout': millis.optional(),
    'response-timeout': millis.optional(),
    'redirects-enabled': booleanish.optional(),
    'max-redirects': millis.optional(),
  })
  .catchall(z.unknown());

export type RequestConfig = z.output<typeof requestConfig>;

/** The transport options a `request-config` map asks for. */
export function transportOptions(config: RequestConfig | null | undefined): TransportOptions {
  if (!config) return {};
  return {
    ...(config['connection-timeout'] !== undefined ? { connectTimeoutMs: config['connection-timeout'] } : {}),
    ...(config['socket-timeout'] !== undefined ? { socketTimeoutMs: config['socket-timeout'] } : {}),
    ...(config['response-timeout'] !== undefined ? { responseTimeoutMs: config['response-timeout'] } : {}),
    ...(config['redirects-enabled'] !== undefined ? { followRedirects: config['redirects-enabled'] } : {}),
    ...(config['max-redirects'] !== undefined ? { maxRedirects: config['max-redirects'] } : {}),
  };
}

/** `throw-http-error` as Camunda reads it (inside `request-config`) or as a parameter of its own. */
export function throwsHttpError(input: { 'throw-http-error'?: boolean | undefined | null; 'request-config'?: RequestConfig | null | undefined }): boolean {
  return input['throw-http-error'] ?? input['request-config']?.['throw-http-error'] ?? false;
}
