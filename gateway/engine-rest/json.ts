/**
 * Wire formats of Camunda's REST API: JSON bodies in and out, and dates as
 * `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (e.g. `2026-01-31T10:00:00.000+0000`). Dates
 * go out in UTC; they come in in that format or any ISO 8601 offset form.
 */
import { BodyTooLargeError, readBody as readWholeBody } from '../read-body.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RestError, invalidRequest } from './errors.js';

/** Camunda's date format, always in UTC: `2026-01-31T10:00:00.000+0000`. */
export function formatDate(d: Date | null | undefined): string | null {
  if (!d) return null;
  return d.toISOString().replace('Z', '+0000');
}

const DATE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses Camunda's date format and ISO 8601 variants (`Z`, `+01:00`, `+0100`,
 * `+01`, with or without fractions). A date without offset is taken as UTC,
 * the zone this server formats in. Returns null when `text` is no such date.
 */
export function parseDate(text: string): Date | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [, day, time, fraction, zone] = m;
  const millis = (fraction ?? '0').padEnd(3, '0').slice(0, 3);
  let offset = 'Z';
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
    offset = `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
  }
  const d = new Date(`${day}T${time}.${millis}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Reads the whole request body, refusing more than `maxBytes` (413). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  try {
    return await readWholeBody(req, maxBytes);
  } catch (e) {
    throw e instanceof BodyTooLargeError ? invalidRequest(413, e.message) : e;
  }
}

/**
 * Parses a JSON request body; an empty body is `null`. A syntax error is
 * Camunda's 400 `JsonParseException`.
 */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new RestError(400, 'JsonParseException', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** A JSON body that must be an object (or absent, which reads as `{}`). */
export function asObject(body: unknown, what = 'request body'): Record<string, unknown> {
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest(400, `The ${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

export function optionalString(obj: Record<string, unknown>, key: string): string | null | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string') return v;
  throw invalidRequest(400, `'${key}' must be a string`);
}

export function optionalBoolean(obj: Record<string, unknown>, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalidRequest(400, `'${key}' must be a boolean`);
}
