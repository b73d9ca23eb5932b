/**
 * Property reads and method calls, resolved the way Camunda's EL resolver
 * chain does: arrays as lists (`list[0]`), maps by key (`map.key`, missing ->
 * null), and everything else as a bean (`bean.name` reads a property or calls
 * `getName()` / `isName()`; a missing one is an error). Only an object's own
 * members and those of its own classes are reachable: nothing inherited from
 * JavaScript's built-in prototypes, no functions as values, and never
 * `constructor`, `__proto__` or `prototype`.
 */
import { coerceToString } from './coercion.js';
import { MethodNotFound, PropertyNotFound, ElFailure } from './failures.js';
import { findMember, isForbiddenName, isPlainObject, javaClassName } from './java-lang.js';
import {
  ANY_OBJECT_METHODS,
  BOOLEAN_METHODS,
  DATE_METHODS,
  LIST_METHODS,
  MAP_METHODS,
  NUMBER_METHODS,
  SET_METHODS,
  STRING_METHODS,
  lookupMethod,
  mapGet,
  type JavaMethod,
  type MethodTable,
} from './java-methods.js';

/** `base.property` / `base[property]` for a non-null base. */
export function readProperty(base: unknown, property: unknown): unknown {
  if (Array.isArray(base) || base instanceof Uint8Array) return listElement(base, property);
  const name = coerceToString(property);
  if (isForbiddenName(name) || typeof base === 'function') throw propertyNotFound(base, name);
  if (base instanceof Map) return mapGet(base, property);
  if (typeof base === 'object' && base !== null) {
    if (isPlainObject(base)) return plainObjectProperty(base as Record<string, unknown>, name);
    return beanProperty(base, name);
  }
  // Primitives only have the getters of their Java class, e.g. 'text'.empty.
  const getter = builtinGetter(tableFor(base), name);
  if (getter !== undefined) return getter(base);
  throw propertyNotFound(base, name);
}

/** `base.name(args)` for a non-null base. */
export function invokeMethod(base: unknown, name: string, args: unknown[]): unknown {
  if (isForbiddenName(name) || name === 'getClass' || typeof base === 'function') throw methodNotFound(base, name, args.length);
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) {
    const own = isPlainObject(base) ? ownFunction(base as Record<string, unknown>, name) : memberFunction(base, name);
    if (own !== undefined) return own.apply(base, args);
  }
  const method = lookupMethod(tableFor(base), name, args.length);
  if (method === undefined) throw methodNotFound(base, name, args.length);
  return (method as JavaMethod<unknown>)(base, ...args);
}

function tableFor(base: unknown): MethodTable<never> {
  switch (typeof base) {
    case 'string':
      return STRING_METHODS;
    case 'number':
    case 'bigint':
      return NUMBER_METHODS;
    case 'boolean':
      return BOOLEAN_METHODS;
    default:
      break;
  }
  if (Array.isArray(base)) return LIST_METHODS;
  if (base instanceof Date) return DATE_METHODS;
  if (base instanceof Map) return MAP_METHODS;
  if (base instanceof Set) return SET_METHODS;
  if (typeof base === 'object' && base !== null && isPlainObject(base)) return MAP_METHODS;
  return ANY_OBJECT_METHODS;
}

function listElement(list: ArrayLike<unknown>, property: unknown): unknown {
  const index = listIndex(property);
  return index < 0 || index >= list.length ? null : (list[index] ?? null);
}

function listIndex(property: unknown): number {
  if (typeof property === 'number') return Math.trunc(property);
  if (typeof property === 'bigint') return Number(property);
  if (typeof property === 'boolean') return property ? 1 : 0;
  if (typeof property === 'string') {
    if (/^[+-]?\d+$/.test(property)) return Number(property);
    throw new ElFailure(`Cannot parse list index: ${property}`);
  }
  throw new ElFailure(`Cannot coerce property to list index: ${coerceToString(property)}`);
}

/** JSON-like data: a Java map, but a bean getter defined on the object itself is honoured. */
function plainObjectProperty(base: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(base, name)) {
    const value = base[name];
    if (typeof value !== 'function') return value ?? null;
  }
  const getter = ownFunction(base, getterName('get', name)) ?? ownFunction(base, getterName('is', name));
  if (getter !== undefined) return getter.call(base) ?? null;
  if (Object.hasOwn(base, name)) throw propertyNotFound(base, name);
  return null;
}

function beanProperty(base: object, name: string): unknown {
  const member = findMember(base, name);
  if (member?.kind === 'value') return member.value ?? null;
  const getter = memberFunction(base, getterName('get', name)) ?? memberFunction(base, getterName('is', name));
  if (getter !== undefined) return getter.call(base) ?? null;
  const builtin = builtinGetter(tableFor(base), name);
  if (builtin !== undefined) return builtin(base);
  throw propertyNotFound(base, name);
}

function builtinGetter(table: MethodTable<never>, name: string): ((base: unknown) => unknown) | undefined {
  const method: JavaMethod<never> | undefined =
    lookupMethod(table, getterName('get', name), 0) ?? lookupMethod(table, getterName('is', name), 0);
  return method === undefined ? undefined : (base) => method(base as never);
}

function ownFunction(base: Record<string, unknown>, name: string): Function | undefined {
  if (isForbiddenName(name) || !Object.hasOwn(base, name)) return undefined;
  const value = base[name];
  return typeof value === 'function' ? value : undefined;
}

function memberFunction(base: object, name: string): Function | undefined {
  const member = findMember(base, name);
  return member?.kind === 'function' ? member.fn : undefined;
}

function getterName(prefix: 'get' | 'is', property: string): string {
  return property === '' ? prefix : prefix + property.charAt(0).toUpperCase() + property.slice(1);
}

function propertyNotFound(base: unknown, name: string): PropertyNotFound {
  return new PropertyNotFound(`Could not find property ${name} in class ${javaClassName(base)}`);
}

function methodNotFound(base: unknown, name: string, arity: number): MethodNotFound {
  return new MethodNotFound(`Cannot find method '${name}' with ${arity} parameters in class ${javaClassName(base)}`);
}
