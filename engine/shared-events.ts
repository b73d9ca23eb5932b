/**
 * Domain events as they travel between nodes on the committed-events bus
 * (persistence/event-bus.ts): JSON with dates as epoch milliseconds, and
 * without large values — a variable value longer than MAX_INLINE_VALUE_BYTES
 * stays behind and the receiving node reads the variable's current value
 * from the shared database instead.
 */
import type { BusMessage } from './persistence/event-bus.js';
import type { Store } from './persistence/store.js';
import type { DomainEvent } from './runtime/events.js';

/** Variable values up to this size travel inline; larger ones are fetched by the receiver. */
export const MAX_INLINE_VALUE_BYTES = 512;

const FETCH_VALUE = '$fetchValue';

function encodeValue(value: unknown): unknown {
  if (value instanceof Date) return { $d: value.getTime() };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v);
    return out;
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$d' && typeof o['$d'] === 'number') return new Date(o['$d']);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = decodeValue(v);
    return out;
  }
  return value;
}

export function toBusMessage(event: DomainEvent): BusMessage {
  const message = encodeValue(event) as BusMessage;
  if ('value' in message && message['value'] !== null && Buffer.byteLength(JSON.stringify(message['value'])) > MAX_INLINE_VALUE_BYTES) {
    message['value'] = null;
    message[FETCH_VALUE] = true;
  }
  return message;
}

/**
 * The events of another node's messages. Values left behind are read from
 * the store now, so they may be newer than the event (or null when the
 * variable is gone again, or the read failed). Never throws.
 */
export async function fromBusMessages(messages: readonly BusMessage[], store: Store): Promise<DomainEvent[]> {
  const out: DomainEvent[] = [];
  for (const m of messages) {
    const { [FETCH_VALUE]: fetch, ...rest } = m;
    const event = decodeValue(rest) as DomainEvent & { value?: unknown };
    if (fetch && 'executionId' in event && 'name' in event) {
      const taskId = (event as { taskId?: string | null }).taskId ?? null;
      try {
        const rows = await store.findVariables({ executionIdIn: [event.executionId as string], name: event.name as string });
        event.value = rows.find((r) => r.taskId === taskId)?.value ?? null;
      } catch {
        // The event still tells what changed; only its value could not be read back.
        event.value = null;
      }
    }
    out.push(event);
  }
  return out;
}
