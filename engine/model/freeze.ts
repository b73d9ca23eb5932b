/**
 * A compiled graph is shared by every instance of its process definition,
 * so it is frozen all the way down.
 */

export function deepFreeze<T>(value: T): T {
  freezeValue(value);
  return value;
}

/** Shared parts (the definitions-level maps) are met more than once: a frozen value is done. */
function freezeValue(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (value instanceof Map) {
    lockMap(value);
    Object.freeze(value);
    for (const entry of value.values()) freezeValue(entry);
    return;
  }
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) freezeValue(item);
  } else {
    for (const key in value) freezeValue((value as Record<string, unknown>)[key]);
  }
}

/** Object.freeze leaves a Map's entries writable; these throw like a frozen object in strict mode. */
function lockMap(map: Map<unknown, unknown>): void {
  const refuse = (): never => {
    throw new TypeError('Cannot modify a compiled process graph');
  };
  Object.defineProperties(map, {
    set: { value: refuse },
    delete: { value: refuse },
    clear: { value: refuse },
  });
}
