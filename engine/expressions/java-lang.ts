/**
 * How JavaScript values look from the Java side of a Camunda 7 expression:
 * their class names (for error messages), `toString()`, `equals()`, and which
 * members of an object count as bean members. Plain objects and `Map`s are Java
 * maps, arrays are lists, integral numbers are `Long`s and the others `Double`s.
 */
import { DateTimeValue } from './date-time.js';

const BUILTIN_PROTOTYPES = new Set<object>(
  [
    Object.prototype,
    Function.prototype,
    Array.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
    WeakSet.prototype,
    Date.prototype,
    RegExp.prototype,
    Promise.prototype,
    Error.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    Symbol.prototype,
    BigInt.prototype,
    ArrayBuffer.prototype,
    Object.getPrototypeOf(Uint8Array.prototype) as object,
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object,
  ].filter((p): p is object => p !== null && p !== undefined),
);

const nativeCheck = new WeakMap<object, boolean>();

/**
 * True for prototypes the engine does not treat as part of a bean: the
 * language's own, and any whose constructor is native code (typed arrays,
 * error subclasses, host objects). Their members are never exposed.
 */
export function isBuiltinPrototype(proto: object): boolean {
  if (BUILTIN_PROTOTYPES.has(proto)) return true;
  let known = nativeCheck.get(proto);
  if (known === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    known = typeof ctor === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor));
    nativeCheck.set(proto, known);
  }
  return known;
}

/** A JSON-like object: treated as a Java `Map` keyed by its own properties. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype;
}

export function isMapLike(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value instanceof Map || isPlainObject(value));
}

/** Names that would reach into the JavaScript object model; never readable or callable. */
export function isForbiddenName(name: string): boolean {
  return name === 'constructor' || name === '__proto__' || name === 'prototype';
}

export type Member = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'function'; readonly fn: Function };

/**
 * Looks `name` up on the object itself and on its own (non-built-in)
 * prototypes. Accessor properties are read through their getter.
 */
export function findMember(target: object, name: string): Member | undefined {
  // Typed arrays and Buffers are byte arrays to Java: no members at all.
  if (isForbiddenName(name) || ArrayBuffer.isView(target)) return undefined;
  let holder: object | null = target;
  while (holder !== null) {
    if (holder !== target && isBuiltinPrototype(holder)) return undefined;
    const desc = Object.getOwnPropertyDescriptor(holder, name);
    if (desc !== undefined) {
      if (desc.get !== undefined) return asMember(desc.get.call(target));
      if ('value' in desc) return asMember(desc.value);
      return undefined;
    }
    holder = Object.getPrototypeOf(holder) as object | null;
  }
  return undefined;
}

function asMember(value: unknown): Member {
  return typeof value === 'function' ? { kind: 'function', fn: value } : { kind: 'value', value };
}

/** The Java class name a Camunda error message would show for this value. */
export function javaClassName(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'java.lang.Long' : 'java.lang.Double';
    case 'bigint':
      return 'java.math.BigInteger';
    case 'undefined':
      return 'null';
    case 'function':
      return 'Function';
    case 'symbol':
      return 'Symbol';
    default:
      break;
  }
  if (typeof value !== 'object' || value === null) return 'null';
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof DateTimeValue) return 'org.joda.time.DateTime';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Map || isPlainObject(value)) return 'java.util.LinkedHashMap';
  if (value instanceof Set) return 'java.util.LinkedHashSet';
  if (value instanceof Uint8Array) return '[B';
  return constructorName(value) ?? 'java.lang.Object';
}

function constructorName(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return undefined;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : undefined;
}

/** `Double.toString` for non-integral numbers, plain digits for longs. */
export function javaNumberString(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa = '', exponent = ''] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

const identityHashes = new WeakMap<object, number>();
let nextIdentityHash = 0x1b6d3586;

/** Java's `String.valueOf(x)`: lists as `[a, b]`, maps as `{k=v}`. Dates print as ISO 8601. */
export function javaToString(value: unknown, seen: Set<unknown> = new Set()): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return javaNumberString(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'null';
    case 'function':
      return 'function';
    case 'symbol':
      return value.description ?? 'symbol';
    default:
      break;
  }
  if (typeof value !== 'object' || value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof DateTimeValue) return value.toString();
  if (seen.has(value)) return Array.isArray(value) || value instanceof Set ? '(this Collection)' : '(this Map)';
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return `[${Array.from(value, (v: unknown) => javaToString(v, seen)).join(', ')}]`;
    }
    if (value instanceof Map) {
      return `{${Array.from(value, ([k, v]) => `${javaToString(k, seen)}=${javaToString(v, seen)}`).join(', ')}}`;
    }
    if (isPlainObject(value)) {
      const record = value as Record<string, unknown>;
      return `{${Object.keys(record)
        .map((k) => `${k}=${javaToString(record[k], seen)}`)
        .join(', ')}}`;
    }
    const own = findMember(value, 'toString');
    if (own?.kind === 'function') return String(own.fn.call(value));
    if (value instanceof Error) return `${javaClassName(value)}: ${value.message}`;
    return `${javaClassName(value)}@${identityHash(value).toString(16)}`;
  } finally {
    seen.delete(value);
  }
}

function identityHash(value: object): number {
  let hash = identityHashes.get(value);
  if (hash === undefined) {
    hash = nextIdentityHash;
    nextIdentityHash = (nextIdentityHash + 0x61c88647) >>> 0;
    identityHashes.set(value, hash);
  }
  return hash;
}

/** Java's `hashCode()`, consistent with `javaEquals` for values; identity-based for other objects. */
export function javaHashCode(value: unknown): number {
  switch (typeof value) {
    case 'string': {
      let h = 0;
      for (let i = 0; i < value.length; i++) h = (Math.imul(h, 31) + value.charCodeAt(i)) | 0;
      return h;
    }
    case 'boolean':
      return value ? 1231 : 1237;
    case 'bigint':
      return foldLong(BigInt.asIntN(64, value));
    case 'number': {
      if (Number.isSafeInteger(value)) return foldLong(BigInt(value));
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, Number.isNaN(value) ? Number.NaN : value);
      return foldLong(view.getBigInt64(0));
    }
    case 'undefined':
      return 0;
    case 'object':
      break;
    default:
      return 0;
  }
  if (value === null) return 0;
  if (value instanceof Date) return foldLong(BigInt(value.getTime()));
  if (value instanceof DateTimeValue) return foldLong(BigInt(value.getMillis()));
  if (Array.isArray(value)) return value.reduce((h: number, v: unknown) => (Math.imul(h, 31) + javaHashCode(v)) | 0, 1);
  if (isMapLike(value)) return mapEntries(value).reduce((h, [k, v]) => (h + (javaHashCode(k) ^ javaHashCode(v))) | 0, 0);
  const own = findMember(value, 'hashCode');
  if (own?.kind === 'function') return Number(own.fn.call(value)) | 0;
  return identityHash(value) | 0;
}

/** `Long.hashCode`: the two 32-bit halves xor-ed. */
function foldLong(n: bigint): number {
  return Number(BigInt.asIntN(32, n ^ (BigInt.asUintN(64, n) >> 32n)));
}

/** Java's `a.equals(b)`: values for numbers, strings, dates and collections; identity otherwise. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return a == b;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && a == b;
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof DateTimeValue) return a.equals(b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v: unknown, i) => javaEquals(v, b[i]));
  }
  if (a instanceof Set) {
    return b instanceof Set && a.size === b.size && [...a].every((v) => [...b].some((w) => javaEquals(v, w)));
  }
  if (isMapLike(a)) {
    if (!isMapLike(b)) return false;
    const left = mapEntries(a);
    const right = mapEntries(b);
    return left.length === right.length && left.every(([k, v]) => right.some(([k2, v2]) => javaEquals(k, k2) && javaEquals(v, v2)));
  }
  const equals = findMember(a, 'equals');
  if (equals?.kind === 'function') return Boolean(equals.fn.call(a, b));
  return false;
}

/** The entries of a Java-map-like value, in iteration order. */
export function mapEntries(map: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] {
  if (map instanceof Map) return [...map.entries()];
  return Object.keys(map).map((k) => [k, map[k]]);
}
