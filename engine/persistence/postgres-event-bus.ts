/**
 * The committed-events bus on PostgreSQL: LISTEN/NOTIFY on one channel per
 * schema (every node on the schema shares it, nodes on other schemas never
 * see it). Each node listens on one dedicated connection outside the pool, so
 * a busy pool never delays delivery; it publishes with `pg_notify` through
 * the pool, one statement per batch of envelopes, in order.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Pool } from 'pg';
import { uuidv7 } from '../ids.js';
import { packEnvelopes, parseEnvelope, type BusMessage, type CommittedEventBus } from './event-bus.js';

export interface PostgresEventBusOptions {
  /** Connection string for the listening connection. */
  url: string;
  /** The schema whose nodes share the channel; undefined: the pool's current schema. */
  schema: string | undefined;
  /** Where notifications are sent from. */
  pool: Pool;
  /** Longest wait between reconnection attempts of the listener, default 5000 ms. */
  maxReconnectDelayMs?: number;
}

const NOTIFY_SQL = 'SELECT pg_notify($1, p) FROM unnest($2::text[]) AS t(p)';

/** `cf_events_<schema>`, or a hash of the schema when that would pass PostgreSQL's 63-byte identifier limit. */
export function channelFor(schema: string): string {
  const plain = `cf_events_${schema}`;
  return plain.length <= 63 ? plain : `cf_events_${createHash('sha1').update(schema).digest('hex').slice(0, 32)}`;
}

export class PostgresEventBus implements CommittedEventBus {
  /** This node's id on the channel: its own notifications come back to it and are skipped. */
  readonly nodeId = uuidv7();
  private seq = 0;
  private channelName: Promise<string> | null = null;
  private readonly listeners = new Set<(messages: BusMessage[]) => void>();
  private readonly errorListeners = new Set<(error: unknown) => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 100;
  private pending: string[] = [];
  private sending: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly opts: PostgresEventBusOptions) {}

  private channel(): Promise<string> {
    this.channelName ??= (async () => {
      if (this.opts.schema !== undefined) return channelFor(this.opts.schema);
      const { rows } = await this.opts.pool.query<{ s: string }>('SELECT current_schema() AS s');
      return channelFor(rows[0]?.s ?? 'public');
    })();
    return this.channelName;
  }

  private report(error: unknown): void {
    for (const l of this.errorListeners) {
      try {
        l(error);
      } catch {
        // An error listener's failure has nowhere left to go.
      }
    }
  }

  onError(listener: (error: unknown) => void): void {
    this.errorListeners.add(listener);
  }

  publish(messages: readonly BusMessage[]): void {
    if (this.closed || messages.length === 0) return;
    this.pending.push(
      ...packEnvelopes(this.nodeId, () => ++this.seq, messages, undefined, (m) => this.report(new Error(`Committed event too large for a notification, dropped: ${String(m['type'] ?? '?')}`))),
    );
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Commands committing in the same turn of the event loop share one statement.
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.pending;
      this.pending = [];
      if (batch.length === 0) return;
      // Chained so one node's notifications go out in commit order.
      this.sending = this.sending.then(async () => {
        try {
          await this.opts.pool.query(NOTIFY_SQL, [await this.channel(), batch]);
        } catch (e) {
          this.report(e);
        }
      });
    });
  }

  subscribe(listener: (messages: BusMessage[]) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) void this.listen();
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.unlisten();
    };
  }

  /** Resolves once the listening connection is up (tests wait for it before publishing elsewhere). */
  async ready(): Promise<void> {
    await this.connecting;
  }

  private listen(): Promise<void> {
    if (this.closed || this.client || this.connecting) return this.connecting ?? Promise.resolve();
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.opts.url });
      const lost = (e?: unknown): void => {
        if (this.client !== client) return;
        this.client = null;
        client.removeAllListeners('notification');
        client.end().catch(() => undefined);
        if (e) this.report(e);
        this.scheduleReconnect();
      };
      client.on('error', lost);
      client.on('end', () => lost());
      client.on('notification', (msg) => {
        if (msg.payload === undefined) return;
        const env = parseEnvelope(msg.payload);
        if (!env || env.n === this.nodeId) return;
        for (const l of this.listeners) {
          try {
            l(env.m);
          } catch (e) {
            this.report(e);
          }
        }
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${await this.channel()}"`);
      } catch (e) {
        client.removeAllListeners();
        client.on('error', () => {});
        await client.end().catch(() => undefined);
        this.report(e);
        this.scheduleReconnect();
        return;
      }
      if (this.closed || this.listeners.size === 0) {
        client.removeAllListeners();
        client.on('error', () => {});
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.reconnectDelay = 100;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.listeners.size === 0 || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.opts.maxReconnectDelayMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }

  private unlisten(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.connecting;
    this.unlisten();
    // What was committed before close still goes out.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.sending;
  }
}
