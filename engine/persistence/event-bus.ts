/**
 * The committed-events bus: how the nodes sharing one database tell each
 * other what they committed, so a subscriber on one node sees commands that
 * ran on another. The store layer carries opaque JSON messages; what they
 * mean (domain events) is the engine's business (see ../shared-events.ts).
 *
 * Delivery is at most once and after the commit: a node publishes a
 * command's messages only once its transaction committed, and a node that
 * dies in between (or a listener connection that drops) loses them — the
 * same guarantee a subscriber of the committing node gets.
 */

/** A JSON object, as it travels between nodes. */
export type BusMessage = Record<string, unknown>;

export interface CommittedEventBus {
  /**
   * Sends the messages of one committed command to every other node.
   * Never throws and never delays the caller: a failed send is reported to
   * `onError` and only costs the other nodes' subscribers those events.
   */
  publish(messages: readonly BusMessage[]): void;
  /**
   * Receives what the other nodes committed (never this node's own messages),
   * in each node's publishing order. The first subscriber opens the listening
   * connection; the last one to leave closes it.
   */
  subscribe(listener: (messages: BusMessage[]) => void): () => void;
  /** Resolves once this node listens (or its attempt failed and a retry is scheduled). */
  ready(): Promise<void>;
  /** Failures of sending or listening (the bus keeps going, reconnecting). */
  onError(listener: (error: unknown) => void): void;
  close(): Promise<void>;
}

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; envelopes stay below this. */
export const MAX_PAYLOAD_BYTES = 7900;

/** One notification: the sending node, its sequence number (identical payloads in one transaction would be merged), the messages. */
export interface Envelope {
  n: string;
  s: number;
  m: BusMessage[];
}

/**
 * Packs messages into as few envelopes under `maxBytes` as it can, keeping
 * their order. A message that alone exceeds the limit is dropped and
 * reported through `dropped`; the engine keeps messages small (ids and types,
 * large values left to be fetched), so this is a safety net.
 */
export function packEnvelopes(node: string, nextSeq: () => number, messages: readonly BusMessage[], maxBytes = MAX_PAYLOAD_BYTES, dropped: (m: BusMessage) => void = () => {}): string[] {
  const out: string[] = [];
  const head = (seq: number) => `{"n":${JSON.stringify(node)},"s":${seq},"m":[`;
  // Sequence numbers are at most 16 digits: reserve that much for the head.
  const headBytes = Buffer.byteLength(head(0)) + 16 + 2;
  let parts: string[] = [];
  let bytes = headBytes;
  const flush = (): void => {
    if (!parts.length) return;
    out.push(`${head(nextSeq())}${parts.join(',')}]}`);
    parts = [];
    bytes = headBytes;
  };
  for (const m of messages) {
    const text = JSON.stringify(m);
    const size = Buffer.byteLength(text) + 1;
    if (headBytes + size > maxBytes) {
      dropped(m);
      continue;
    }
    if (bytes + size > maxBytes) flush();
    parts.push(text);
    bytes += size;
  }
  flush();
  return out;
}

export function parseEnvelope(payload: string): Envelope | null {
  try {
    const e = JSON.parse(payload) as Envelope;
    return typeof e.n === 'string' && Array.isArray(e.m) ? e : null;
  } catch {
    return null;
  }
}
