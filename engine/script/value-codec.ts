/**
 * The host side of the value encoding that crosses the sandbox boundary.
 *
 * Values travel as one JSON text per crossing (one string copy instead of a
 * handle per property). JSON has no Date, so a Date travels as the string
 * `"\u0000d<epoch ms>"`; a genuine string that starts with NUL is escaped as
 * `"\u0000s<string>"`, which keeps the encoding unambiguous for every input.
 * The sandbox half lives in `prelude.ts` and must stay in step with this file.
 */

const NUL = '\u0000';
const DATE_TAG = `${NUL}d`;
const STRING_TAG = `${NUL}s`;
/** How JSON.stringify writes a NUL character; absent means no tagged strings. */
const ESCAPED_NUL = '\\u0000';

function replaceTagged(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify has already called Date#toJSON, so look at the raw holder slot.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Date) return DATE_TAG + raw.getTime();
  if (typeof value === 'string' && value.charCodeAt(0) === 0) return STRING_TAG + value;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function reviveTagged(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.charCodeAt(0) === 0) {
    return value.startsWith(DATE_TAG) ? new Date(Number(value.slice(2))) : value.slice(2);
  }
  return value;
}

/**
 * Encodes a JSON-compatible value (plus Date, and bigint as number) for the
 * sandbox. `undefined` and other values JSON drops at the top level encode as
 * the empty string. Throws on circular structures.
 */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, replaceTagged) ?? '';
}

/** Decodes a text written by `encodeValue` or by the sandbox's `encode`. */
export function decodeValue(text: string): unknown {
  if (text === '') return undefined;
  return text.includes(ESCAPED_NUL) ? JSON.parse(text, reviveTagged) : JSON.parse(text);
}
