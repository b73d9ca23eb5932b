/**
 * EL 2.2 type coercion (spec section 1.18) over JavaScript values. JavaScript
 * has one number type, so an integral number plays Java's `Long` and any other
 * number `Double`; integers beyond 2^53 are carried as `bigint` to keep Long
 * arithmetic exact. `undefined` is treated as `null` throughout.
 */
import { ElFailure } from './failures.js';
import { javaClassName, javaToString } from './java-lang.js';

/** A Java `long`: a safe integer, or a bigint once it leaves the safe range. */
export type JavaLong = number | bigint;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const LONG_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity)$|^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?$/;

/** Integral numbers from 2^63 on cannot be a Long, so they count as Doubles. */
const TWO_TO_63 = 2 ** 63;

export function isDouble(value: unknown): value is number {
  return typeof value === 'number' && !(Number.isInteger(value) && Math.abs(value) < TWO_TO_63);
}

export function isLong(value: unknown): value is JavaLong {
  return (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < TWO_TO_63) || typeof value === 'bigint';
}

/** EL treats a string operand containing '.', 'e' or 'E' as a Double in arithmetic. */
export function isDotEe(value: unknown): boolean {
  return typeof value === 'string' && /[.eE]/.test(value);
}

export function isInLongRange(n: bigint): boolean {
  return n >= LONG_MIN && n <= LONG_MAX;
}

/** Back to a plain number whenever that is exact. */
export function normalizeLong(n: bigint): JavaLong {
  return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

export function coerceToLong(value: unknown): JavaLong {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value + 0;
    if (Number.isNaN(value)) return 0;
    // Java's (long) cast truncates and saturates.
    if (Math.abs(value) >= TWO_TO_63) return value > 0 ? LONG_MAX : LONG_MIN;
    const truncated = Math.trunc(value) + 0;
    return Number.isSafeInteger(truncated) ? truncated : BigInt(truncated);
  }
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && LONG_TEXT.test(value)) {
    if (value.length < 16) return Number(value);
    const n = BigInt(value);
    if (isInLongRange(n)) return normalizeLong(n);
  }
  throw coercionFailure(value, 'java.lang.Long');
}

export function coerceToDouble(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    // Double.valueOf ignores leading and trailing characters up to U+0020.
    const text = value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
    if (DOUBLE_TEXT.test(text)) return Number(text.replace(/[fFdD]$/, ''));
  }
  throw coercionFailure(value, 'java.lang.Double');
}

export function coerceToBoolean(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  throw coercionFailure(value, 'java.lang.Boolean');
}

/** EL string coercion: null is "", everything else its Java `toString()`. */
export function coerceToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return javaToString(value);
}

export function coercionFailure(value: unknown, targetClass: string): ElFailure {
  return new ElFailure(`Cannot coerce '${preview(value)}' of class ${javaClassName(value)} to class ${targetClass}`);
}

/** A value as it may appear inside an error message: its string form, shortened. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = javaToString(value);
  } catch {
    text = javaClassName(value);
  }
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
