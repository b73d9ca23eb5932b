/**
 * The Java methods Camunda 7 models call on plain values: `String`, `List`,
 * `Map`, `Set`, `Long`/`Double`, `Boolean` and `java.util.Date`. Each table maps
 * a method name to its overloads by parameter count; arguments are coerced to
 * the Java parameter types the way JUEL coerces them.
 */
import { coerceToBoolean, coerceToDouble, coerceToLong, coerceToString, isLong, type JavaLong } from './coercion.js';
import { instantOf } from './date-time.js';
import { ElFailure } from './failures.js';
import { javaEquals, javaHashCode, javaNumberString, javaToString, mapEntries } from './java-lang.js';
import { javaMatches, javaReplaceAll, javaReplaceFirst, javaSplit } from './java-regex.js';

export type JavaMethod<T> = (self: T, ...args: unknown[]) => unknown;
/** name -> parameter count -> implementation */
export type MethodTable<T> = Readonly<Record<string, Readonly<Record<number, JavaMethod<T>>>>>;

export type JavaMap = Map<unknown, unknown> | Record<string, unknown>;

/** Looks an overload up without ever consulting a table's prototype. */
export function lookupMethod<T>(table: MethodTable<T>, name: string, arity: number): JavaMethod<T> | undefined {
  if (!Object.hasOwn(table, name)) return undefined;
  const overloads = table[name];
  return overloads !== undefined && Object.hasOwn(overloads, arity) ? overloads[arity] : undefined;
}

const OBJECT_METHODS: MethodTable<unknown> = {
  toString: { 0: (self: unknown) => javaToString(self) },
  equals: { 1: (self, other) => javaEquals(self, other) },
  hashCode: { 0: (self) => javaHashCode(self) },
};

export const ANY_OBJECT_METHODS = OBJECT_METHODS;

export const STRING_METHODS: MethodTable<string> = {
  ...OBJECT_METHODS,
  length: { 0: (s) => s.length },
  isEmpty: { 0: (s) => s.length === 0 },
  isBlank: { 0: (s) => s.trim().length === 0 },
  charAt: {
    1: (s, index) => {
      const i = toInt(index);
      if (i < 0 || i >= s.length) throw new ElFailure(`Index ${i} out of bounds for length ${s.length}`);
      return s.charAt(i);
    },
  },
  substring: {
    1: (s, begin) => substring(s, toInt(begin), s.length),
    2: (s, begin, end) => substring(s, toInt(begin), toInt(end)),
  },
  indexOf: {
    1: (s, search) => s.indexOf(searchText(search)),
    2: (s, search, from) => s.indexOf(searchText(search), Math.max(0, toInt(from))),
  },
  lastIndexOf: {
    1: (s, search) => s.lastIndexOf(searchText(search)),
    2: (s, search, from) => {
      const i = toInt(from);
      return i < 0 ? -1 : s.lastIndexOf(searchText(search), i);
    },
  },
  startsWith: {
    1: (s, prefix) => s.startsWith(requireString(prefix)),
    2: (s, prefix, offset) => {
      const i = toInt(offset);
      return i >= 0 && i <= s.length && s.startsWith(requireString(prefix), i);
    },
  },
  endsWith: { 1: (s, suffix) => s.endsWith(requireString(suffix)) },
  contains: { 1: (s, part) => s.includes(requireString(part)) },
  equalsIgnoreCase: {
    1: (s, other) => typeof other === 'string' && (s === other || s.toUpperCase() === other.toUpperCase() || s.toLowerCase() === other.toLowerCase()),
  },
  compareTo: { 1: (s, other) => compareStrings(s, requireString(other)) },
  compareToIgnoreCase: { 1: (s, other) => compareStrings(s.toUpperCase().toLowerCase(), requireString(other).toUpperCase().toLowerCase()) },
  toUpperCase: { 0: (s) => s.toUpperCase() },
  toLowerCase: { 0: (s) => s.toLowerCase() },
  // Java's trim() strips every character up to U+0020; strip() is Unicode-aware.
  trim: { 0: (s) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '') },
  strip: { 0: (s) => s.trim() },
  concat: { 1: (s, other) => s + requireString(other) },
  repeat: {
    1: (s, count) => {
      const n = toInt(count);
      if (n < 0) throw new ElFailure(`count is negative: ${n}`);
      return s.repeat(n);
    },
  },
  replace: { 2: (s, target, replacement) => s.split(requireString(target)).join(requireString(replacement)) },
  replaceAll: { 2: (s, regex, replacement) => javaReplaceAll(s, requireString(regex), requireString(replacement)) },
  replaceFirst: { 2: (s, regex, replacement) => javaReplaceFirst(s, requireString(regex), requireString(replacement)) },
  split: {
    1: (s, regex) => javaSplit(s, requireString(regex)),
    2: (s, regex, limit) => javaSplit(s, requireString(regex), toInt(limit)),
  },
  matches: { 1: (s, regex) => javaMatches(s, requireString(regex)) },
};

export const LIST_METHODS: MethodTable<readonly unknown[]> = {
  ...OBJECT_METHODS,
  size: { 0: (list) => list.length },
  isEmpty: { 0: (list) => list.length === 0 },
  get: {
    1: (list, index) => {
      const i = toInt(index);
      if (i < 0 || i >= list.length) throw new ElFailure(`Index ${i} out of bounds for length ${list.length}`);
      return list[i] ?? null;
    },
  },
  contains: { 1: (list, item) => list.some((v) => javaEquals(v, item)) },
  containsAll: {
    1: (list, items) => {
      if (!Array.isArray(items)) throw new ElFailure(`Cannot coerce '${javaToString(items)}' to class java.util.Collection`);
      return items.every((item: unknown) => list.some((v) => javaEquals(v, item)));
    },
  },
  indexOf: { 1: (list, item) => list.findIndex((v) => javaEquals(v, item)) },
  lastIndexOf: { 1: (list, item) => list.findLastIndex((v) => javaEquals(v, item)) },
  subList: {
    2: (list, from, to) => {
      const start = toInt(from);
      const end = toInt(to);
      if (start < 0 || end > list.length || start > end) {
        throw new ElFailure(`fromIndex: ${start}, toIndex: ${end}, size: ${list.length}`);
      }
      return list.slice(start, end);
    },
  },
};

export const SET_METHODS: MethodTable<ReadonlySet<unknown>> = {
  ...OBJECT_METHODS,
  size: { 0: (set) => set.size },
  isEmpty: { 0: (set) => set.size === 0 },
  contains: { 1: (set, item) => set.has(item) || [...set].some((v) => javaEquals(v, item)) },
};

export const MAP_METHODS: MethodTable<JavaMap> = {
  ...OBJECT_METHODS,
  get: { 1: (map, key) => mapGet(map, key) },
  getOrDefault: { 2: (map, key, fallback) => (mapHas(map, key) ? mapGet(map, key) : fallback) },
  containsKey: { 1: (map, key) => mapHas(map, key) },
  containsValue: { 1: (map, value) => mapEntries(map).some(([, v]) => javaEquals(v, value)) },
  size: { 0: (map) => (map instanceof Map ? map.size : Object.keys(map).length) },
  isEmpty: { 0: (map) => (map instanceof Map ? map.size === 0 : Object.keys(map).length === 0) },
  keySet: { 0: (map) => mapEntries(map).map(([k]) => k) },
  values: { 0: (map) => mapEntries(map).map(([, v]) => v) },
};

export const NUMBER_METHODS: MethodTable<number | bigint> = {
  ...OBJECT_METHODS,
  intValue: { 0: (n) => intValue(n) },
  longValue: { 0: (n) => coerceToLong(n) },
  doubleValue: { 0: (n) => Number(n) },
  floatValue: { 0: (n) => Math.fround(Number(n)) },
  isNaN: { 0: (n) => typeof n === 'number' && Number.isNaN(n) },
  isInfinite: { 0: (n) => n === Infinity || n === -Infinity },
  toString: { 0: (n: number | bigint) => (typeof n === 'bigint' ? String(n) : javaNumberString(n)) },
  compareTo: {
    1: (n, other) => {
      const x = isLong(n) && isLong(other) ? n : Number(n);
      const y = isLong(n) && isLong(other) ? other : coerceToDouble(other);
      return x < y ? -1 : x > y ? 1 : 0;
    },
  },
};

export const BOOLEAN_METHODS: MethodTable<boolean> = {
  ...OBJECT_METHODS,
  booleanValue: { 0: (b) => b },
  compareTo: { 1: (b, other) => Number(b) - Number(coerceToBoolean(other)) },
};

export const DATE_METHODS: MethodTable<Date> = {
  ...OBJECT_METHODS,
  getTime: { 0: (d) => d.getTime() },
  before: { 1: (d, other) => d.getTime() < instantOf(other) },
  after: { 1: (d, other) => d.getTime() > instantOf(other) },
  compareTo: { 1: (d, other) => Math.sign(d.getTime() - instantOf(other)) },
};

export function mapHas(map: JavaMap, key: unknown): boolean {
  if (map instanceof Map) return map.has(key);
  return Object.hasOwn(map, coerceToString(key));
}

export function mapGet(map: JavaMap, key: unknown): unknown {
  if (map instanceof Map) return map.get(key) ?? null;
  const name = coerceToString(key);
  return Object.hasOwn(map, name) ? (map[name] ?? null) : null;
}

/** Java's `(int)` narrowing: longs wrap around, doubles truncate and saturate. */
function intValue(n: number | bigint): number {
  if (typeof n === 'bigint') return Number(BigInt.asIntN(32, n));
  if (Number.isSafeInteger(n)) return n | 0;
  if (Number.isNaN(n)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(n)));
}

function toInt(value: unknown): number {
  const n: JavaLong = coerceToLong(value);
  return intValue(n);
}

/** A String parameter: null is rejected the way Java throws a NullPointerException. */
function requireString(value: unknown): string {
  if (value === null || value === undefined) throw new ElFailure('Cannot invoke a String method with a null argument');
  return coerceToString(value);
}

/** `indexOf(int ch)` and `indexOf(String)`: a number searches for that character. */
function searchText(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x10ffff
    ? String.fromCodePoint(value)
    : requireString(value);
}

function substring(s: string, begin: number, end: number): string {
  if (begin < 0 || end > s.length || begin > end) throw new ElFailure(`begin ${begin}, end ${end}, length ${s.length}`);
  return s.substring(begin, end);
}

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
