/**
 * A compiled graph is shared by every instance of its process definition,
 * so it is frozen all the way down. Properties left undefined by the
 * compiler are dropped on the way, so graphs compare cleanly.
 */

export function deepFreeze<T>(value: T): T {
  freezeValue(value, new Set());
  return value;
}

function freezeValue(value: unknown, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [, entry] of value) freezeValue(entry, seen);
    freezeMap(value);
  } else if (Array.isArray(value)) {
    for (const item of value) freezeValue(item, seen);
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else freezeValue(record[key], seen);
    }
  }
  Object.freeze(value);
}

/** Object.freeze leaves a Map's entries writable; these throw like a frozen object in strict mode. */
function freezeMap(map: Map<unknown, unknown>): void {
  const refuse = (): never => {
    throw new TypeError('Cannot modify a compiled process graph');
  };
  Object.defineProperties(map, {
    set: { value: refuse },
    delete: { value: refuse },
    clear: { value: refuse },
  });
}
