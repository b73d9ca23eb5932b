/**
 * The EL 2.2 operators (spec sections 1.7 to 1.10), with JUEL's coercion order:
 * Double beats Long beats Boolean beats String, and `+` is never concatenation.
 */
import {
  coerceToBoolean,
  coerceToDouble,
  coerceToLong,
  coerceToString,
  isDotEe,
  isDouble,
  isLong,
  normalizeLong,
  preview,
  type JavaLong,
} from './coercion.js';
import { DateTimeValue } from './date-time.js';
import { ElFailure } from './failures.js';
import { findMember, isPlainObject, javaClassName, javaEquals } from './java-lang.js';

type Arithmetic = '+' | '-' | '*';

export function add(a: unknown, b: unknown): number | bigint {
  return arithmetic('+', a, b);
}

export function subtract(a: unknown, b: unknown): number | bigint {
  return arithmetic('-', a, b);
}

export function multiply(a: unknown, b: unknown): number | bigint {
  return arithmetic('*', a, b);
}

/** `/` and `div` always divide as doubles. */
export function divide(a: unknown, b: unknown): number {
  if (a == null && b == null) return 0;
  return coerceToDouble(a) / coerceToDouble(b);
}

/** `%` and `mod`: integer remainder for longs, like Java (sign of the dividend). */
export function modulo(a: unknown, b: unknown): number | bigint {
  if (a == null && b == null) return 0;
  if (isDoubleOperand(a) || isDoubleOperand(b)) return coerceToDouble(a) % coerceToDouble(b);
  const x = coerceToLong(a);
  const y = coerceToLong(b);
  if (y == 0) throw new ElFailure('/ by zero');
  if (typeof x === 'number' && typeof y === 'number') return (x % y) + 0;
  return normalizeLong(BigInt(x) % BigInt(y));
}

export function negate(value: unknown): number | bigint {
  if (value == null) return 0;
  if (typeof value === 'string') return isDotEe(value) ? -coerceToDouble(value) : negateLong(coerceToLong(value));
  if (isDouble(value)) return -value;
  if (isLong(value)) return negateLong(value);
  throw new ElFailure(`Cannot negate 'class ${javaClassName(value)}'`);
}

/** `==` / `eq`. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  if (isDoubleComparison(a, b)) return Object.is(coerceToDouble(a), coerceToDouble(b));
  if (isLong(a) || isLong(b)) return compareLongs(coerceToLong(a), coerceToLong(b)) === 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return coerceToBoolean(a) === coerceToBoolean(b);
  if (typeof a === 'string' || typeof b === 'string') return coerceToString(a) === coerceToString(b);
  return javaEquals(a, b);
}

export function lessThan(a: unknown, b: unknown): boolean {
  if (a === b || a == null || b == null) return false;
  return compare(a, b) < 0;
}

export function greaterThan(a: unknown, b: unknown): boolean {
  if (a === b || a == null || b == null) return false;
  return compare(a, b) > 0;
}

export function lessOrEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  return compare(a, b) <= 0;
}

export function greaterOrEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  return compare(a, b) >= 0;
}

/** `empty`: null, "", and empty lists, arrays, maps and sets. */
export function isEmpty(value: unknown): boolean {
  if (value == null) return true;
  if (typeof value === 'string') return value.length === 0;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length === 0;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (isPlainObject(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return false;
    return true;
  }
  return false;
}

function arithmetic(op: Arithmetic, a: unknown, b: unknown): number | bigint {
  if (a == null && b == null) return 0;
  if (isDoubleOperand(a) || isDoubleOperand(b)) {
    const x = coerceToDouble(a);
    const y = coerceToDouble(b);
    return op === '+' ? x + y : op === '-' ? x - y : x * y;
  }
  const x = coerceToLong(a);
  const y = coerceToLong(b);
  if (typeof x === 'number' && typeof y === 'number') {
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    if (Number.isSafeInteger(r)) return r + 0;
  }
  const bx = BigInt(x);
  const by = BigInt(y);
  // Long arithmetic wraps around on overflow, as in Java.
  return normalizeLong(BigInt.asIntN(64, op === '+' ? bx + by : op === '-' ? bx - by : bx * by));
}

function negateLong(n: JavaLong): JavaLong {
  if (typeof n === 'number') return n === 0 ? 0 : -n;
  return normalizeLong(BigInt.asIntN(64, -n));
}

function isDoubleOperand(value: unknown): boolean {
  return isDouble(value) || isDotEe(value);
}

/**
 * JUEL compares as doubles when either side is a Double. JavaScript cannot tell
 * `100.0` from `100`, so a long next to a string such as '99.5' is compared as
 * a double too, where JUEL would fail to coerce '99.5' to a Long.
 */
function isDoubleComparison(a: unknown, b: unknown): boolean {
  return isDouble(a) || isDouble(b) || (isLong(a) && isDotEe(b)) || (isLong(b) && isDotEe(a));
}

function compareLongs(x: JavaLong, y: JavaLong): number {
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  const bx = BigInt(x);
  const by = BigInt(y);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

/** Sign of a compared to b; NaN when unordered (a NaN operand). */
function compare(a: unknown, b: unknown): number {
  if (isDoubleComparison(a, b)) {
    const x = coerceToDouble(a);
    const y = coerceToDouble(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  }
  if (isLong(a) || isLong(b)) return compareLongs(coerceToLong(a), coerceToLong(b));
  if (typeof a === 'string' || typeof b === 'string') {
    const x = coerceToString(a);
    const y = coerceToString(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : ta === tb ? 0 : Number.NaN;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'object' && a !== null) {
    const compareTo = findMember(a, 'compareTo');
    if (compareTo?.kind === 'function') return Math.sign(Number(compareTo.fn.call(a, b)));
  }
  if (typeof b === 'object' && b !== null) {
    const compareTo = findMember(b, 'compareTo');
    if (compareTo?.kind === 'function') return -Math.sign(Number(compareTo.fn.call(b, a)));
  }
  throw new ElFailure(`Cannot compare '${preview(a)}' and '${preview(b)}'`);
}

function instant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (value instanceof DateTimeValue) return value.getMillis();
  return undefined;
}
