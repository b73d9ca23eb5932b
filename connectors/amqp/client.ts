/**
 * The AMQP 0-9-1 client the connector and its services use, with amqplib
 * kept behind it: one connection per broker URL that comes back by itself
 * after a connection loss, a confirm channel for publishes (a publish
 * resolves only when the broker confirmed it), and consumers on channels of
 * their own that are set up again after every reconnect. Nothing else in
 * connectors/amqp imports amqplib.
 */
import amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, Channel, ConsumeMessage, Message } from 'amqplib';
import type { ConnectorLogger } from '../../engine/index.js';

export type AmqpHeaderValue = string | number | boolean | null;

export interface PublishOptions {
  persistent?: boolean;
  contentType?: string;
  headers?: Readonly<Record<string, AmqpHeaderValue>>;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  type?: string;
  /** Milliseconds the message may wait in a queue. */
  expiration?: number;
  /** Fail the publish when no queue receives the message (basic.return). */
  mandatory?: boolean;
}

/** Message properties a consumer reads. */
export interface DeliveryProperties {
  readonly contentType: string | null;
  readonly correlationId: string | null;
  readonly replyTo: string | null;
  readonly messageId: string | null;
  readonly type: string | null;
  readonly appId: string | null;
  readonly userId: string | null;
  readonly timestamp: number | null;
  readonly headers: Readonly<Record<string, unknown>>;
}

export interface Delivery {
  readonly body: Buffer;
  readonly properties: DeliveryProperties;
  readonly exchange: string;
  readonly routingKey: string;
  /** The broker delivered it before and it was not acknowledged. */
  readonly redelivered: boolean;
  /** Acknowledges; a no-op when the channel that delivered it is gone (the broker redelivers it). */
  ack(): void;
  /** Rejects: back to the queue, or to its dead-letter exchange (or dropped) when `requeue` is false. */
  nack(requeue: boolean): void;
}

export interface QueueSpec {
  readonly name: string;
  /** Declare the queue (idempotent; a declaration with other arguments than the existing queue fails). Default true. */
  readonly assert?: boolean;
  /** Default true. */
  readonly durable?: boolean;
  readonly deadLetterExchange?: string;
  readonly deadLetterRoutingKey?: string;
  /** Bindings to existing exchanges. */
  readonly bindings?: readonly { readonly exchange: string; readonly routingKey: string }[];
}

export interface ConsumeOptions {
  /** Unacknowledged messages in flight at once. Default 10. */
  prefetch?: number;
}

export interface Consumer {
  cancel(): Promise<void>;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/** What the connector and the services need of a broker. */
export interface AmqpClient {
  /** Publishes and resolves once the broker confirmed the message; waits for a connection first (until `signal`). */
  publish(exchange: string, routingKey: string, body: Buffer, options?: PublishOptions, signal?: AbortSignal): Promise<void>;
  /** Declares a queue on the current connection (once per connection). */
  assertQueue(spec: QueueSpec, signal?: AbortSignal): Promise<void>;
  /**
   * Consumes a queue with manual acknowledgement, again after every
   * reconnect. Resolves once consuming when connected (declaration errors
   * reject), at once otherwise.
   */
  consume(queue: QueueSpec, handler: DeliveryHandler, options?: ConsumeOptions): Promise<Consumer>;
  /** Resolves when connected; rejects on `signal`, after `timeoutMs`, or when the client closed. */
  ready(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<void>;
  readonly connected: boolean;
  /** How many connections were opened so far (1 after the first connect; each reconnect adds one). */
  readonly connections: number;
  /** The `connection_name` the broker shows for this client (operators find it in the management UI, tests close it). */
  readonly connectionName: string;
  /** Drops the connection as a network failure would; the client reconnects. */
  interrupt(): void;
  close(): Promise<void>;
}

/** A publish the broker refused or could not route; `retryable` says whether trying again may help. */
export class AmqpPublishError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AmqpPublishError';
  }
}

export interface AmqpClientOptions {
  /** Shown by the broker as the connection's name. */
  connectionName: string;
  logger: ConnectorLogger;
  /** First delay between connection attempts, doubled up to `maxReconnectDelayMs`. Default 100 ms. */
  reconnectDelayMs?: number;
  /** Default 5 000 ms. */
  maxReconnectDelayMs?: number;
  /** AMQP heartbeat in seconds, so a dead peer is noticed. Default 10. */
  heartbeatSeconds?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable AMQP URL)';
  }
}

interface ConsumerState {
  readonly queue: QueueSpec;
  readonly handler: DeliveryHandler;
  readonly prefetch: number;
  channel: Channel | null;
  tag: string | null;
  /** Being set up: a reconnect and a new `consume` must not both open a channel for it. */
  starting: boolean;
  cancelled: boolean;
  /** Set up again after a channel-only failure while the connection stays. */
  restartTimer: NodeJS.Timeout | null;
}

interface Live {
  readonly model: ChannelModel;
  /** Queues declared on this connection. */
  readonly declared: Set<string>;
  publisher: Promise<ConfirmChannel> | null;
}

export function connectAmqp(url: string, options: AmqpClientOptions): AmqpClient {
  return new ReconnectingClient(url, options);
}

class ReconnectingClient implements AmqpClient {
  private live: Live | null = null;
  private readonly consumers = new Set<ConsumerState>();
  private closed = false;
  private readonly closing = new AbortController();
  private readyWaiters = new Set<() => void>();
  private connecting: Promise<void> | null = null;
  private loopRunning = false;
  private opened = 0;
  /** messageIds the broker returned as unroutable, until their confirm arrives. */
  private readonly returned = new Set<string>();
  /** Why the broker closed a publish channel: the reason its unconfirmed publishes failed. */
  private readonly closedBecause = new WeakMap<ConfirmChannel, string>();
  private readonly log: ConnectorLogger;

  constructor(
    private readonly url: string,
    private readonly opts: AmqpClientOptions,
  ) {
    this.log = opts.logger;
    this.ensureConnecting();
  }

  /** One connect loop at a time; it clears the flag in the same tick it gives up or succeeds, so no loss goes unnoticed. */
  private ensureConnecting(): void {
    if (this.loopRunning || this.closed) return;
    this.loopRunning = true;
    this.connecting = this.connectLoop();
  }

  get connected(): boolean {
    return this.live !== null;
  }

  get connections(): number {
    return this.opened;
  }

  get connectionName(): string {
    return this.opts.connectionName;
  }

  private async connectLoop(): Promise<void> {
    let delay = this.opts.reconnectDelayMs ?? 100;
    const max = this.opts.maxReconnectDelayMs ?? 5_000;
    const url = /[?&]heartbeat=/.test(this.url) ? this.url : `${this.url}${this.url.includes('?') ? '&' : '?'}heartbeat=${this.opts.heartbeatSeconds ?? 10}`;
    while (!this.closed) {
      let model: ChannelModel | null = null;
      try {
        model = await amqp.connect(url, { clientProperties: { connection_name: this.opts.connectionName } });
        if (this.closed) {
          await model.close().catch(() => {});
          break;
        }
        const live: Live = { model, declared: new Set(), publisher: null };
        model.on('error', (e: Error) => this.log.warn('AMQP connection error', { connection: this.opts.connectionName, error: e.message }));
        model.on('close', () => this.lost(live));
        this.live = live;
        this.opened++;
        if (this.opened > 1) this.log.info('AMQP connection re-established', { connection: this.opts.connectionName, url: redactUrl(this.url) });
        for (const c of this.consumers) await this.startConsumer(c, live).catch((e: Error) => this.consumerFailed(c, e));
        // Lost again while setting up: this loop is still the one that reconnects.
        if (this.live !== live) continue;
        this.loopRunning = false;
        for (const wake of [...this.readyWaiters]) wake();
        return;
      } catch (e) {
        if (model) await model.close().catch(() => {});
        if (this.closed) break;
        this.log.warn('AMQP connection failed, retrying', { connection: this.opts.connectionName, url: redactUrl(this.url), error: (e as Error).message, retryInMs: delay });
        await sleep(delay, this.closing.signal);
        delay = Math.min(max, delay * 2);
      }
    }
    this.loopRunning = false;
  }

  private lost(live: Live): void {
    if (this.live !== live) return;
    this.live = null;
    for (const c of this.consumers) {
      c.channel = null;
      c.tag = null;
    }
    if (this.closed) return;
    this.log.warn('AMQP connection lost, reconnecting', { connection: this.opts.connectionName });
    this.ensureConnecting();
  }

  ready(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new AmqpPublishError('The AMQP client is closed', false));
    if (this.live) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = options.timeoutMs !== undefined ? setTimeout(() => finish(new AmqpPublishError(`No AMQP connection to ${redactUrl(this.url)} within ${options.timeoutMs} ms`, true)), options.timeoutMs) : null;
      const onAbort = () => finish(options.signal?.reason instanceof Error ? options.signal.reason : new AmqpPublishError('Aborted while waiting for the AMQP connection', true));
      const onClose = () => finish(new AmqpPublishError('The AMQP client is closed', false));
      const wake = () => finish(null);
      const finish = (err: Error | null) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.closing.signal.removeEventListener('abort', onClose);
        this.readyWaiters.delete(wake);
        if (err) reject(err);
        else resolve();
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.closing.signal.addEventListener('abort', onClose, { once: true });
      this.readyWaiters.add(wake);
    });
  }

  private async connection(signal?: AbortSignal): Promise<Live> {
    for (;;) {
      await this.ready({ signal });
      if (this.live) return this.live;
    }
  }

  private publisher(live: Live): Promise<ConfirmChannel> {
    if (!live.publisher) {
      const created = live.model.createConfirmChannel().then((ch) => {
        ch.on('error', (e: Error) => {
          this.closedBecause.set(ch, e.message);
          this.log.warn('AMQP publish channel closed by the broker', { connection: this.opts.connectionName, error: e.message });
        });
        ch.on('close', () => {
          if (live.publisher === created) live.publisher = null;
        });
        ch.on('return', (msg: Message) => {
          const id = msg.properties.messageId as string | undefined;
          if (id) this.returned.add(id);
        });
        return ch;
      });
      created.catch(() => {
        if (live.publisher === created) live.publisher = null;
      });
      live.publisher = created;
    }
    return live.publisher;
  }

  async publish(exchange: string, routingKey: string, body: Buffer, options: PublishOptions = {}, signal?: AbortSignal): Promise<void> {
    const live = await this.connection(signal);
    const ch = await this.publisher(live);
    const messageId = options.messageId ?? (options.mandatory ? `cf-${process.hrtime.bigint().toString(36)}-${Math.random().toString(36).slice(2)}` : undefined);
    const props = {
      persistent: options.persistent ?? true,
      mandatory: options.mandatory ?? false,
      ...(options.contentType ? { contentType: options.contentType } : {}),
      ...(options.headers ? { headers: { ...options.headers } } : {}),
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      ...(options.replyTo ? { replyTo: options.replyTo } : {}),
      ...(messageId ? { messageId } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(options.expiration !== undefined ? { expiration: String(options.expiration) } : {}),
      timestamp: Math.floor(Date.now() / 1000),
    };
    const where = exchange ? `exchange '${exchange}' (routing key '${routingKey}')` : `queue '${routingKey}'`;
    await new Promise<void>((resolve, reject) => {
      try {
        ch.publish(exchange, routingKey, body, props, (err: unknown) => {
          const wasReturned = messageId !== undefined && this.returned.delete(messageId);
          if (err) {
            const cause = this.closedBecause.get(ch) ?? (err instanceof Error ? err.message : String(err));
            // A channel the broker closed for a missing exchange will fail the same way again.
            const permanent = /\b404\b|NOT_FOUND|\b403\b|ACCESS_REFUSED/.test(cause);
            reject(new AmqpPublishError(`The broker did not confirm the message to ${where}: ${cause}`, !permanent));
          } else if (wasReturned && options.mandatory) {
            reject(new AmqpPublishError(`The broker returned the message to ${where} as unroutable: no queue is bound for it`, true));
          } else resolve();
        });
      } catch (e) {
        // The channel closed between lookup and publish: the connection is going away.
        reject(new AmqpPublishError(`Could not publish to ${where}: ${(e as Error).message}`, true));
      }
    });
  }

  async assertQueue(spec: QueueSpec, signal?: AbortSignal): Promise<void> {
    if (spec.assert === false) return;
    const live = await this.connection(signal);
    if (live.declared.has(spec.name)) return;
    // A throwaway channel: a refused declaration closes the channel it was made on.
    const ch = await live.model.createChannel();
    ch.on('error', () => {});
    try {
      await declare(ch, spec);
      live.declared.add(spec.name);
    } finally {
      await ch.close().catch(() => {});
    }
  }

  async consume(queue: QueueSpec, handler: DeliveryHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error('The AMQP client is closed');
    const state: ConsumerState = { queue, handler, prefetch: options.prefetch ?? 10, channel: null, tag: null, starting: false, cancelled: false, restartTimer: null };
    this.consumers.add(state);
    const live = this.live;
    if (live) {
      try {
        await this.startConsumer(state, live);
      } catch (e) {
        this.consumers.delete(state);
        throw e;
      }
    }
    return { cancel: () => this.cancel(state) };
  }

  private async startConsumer(c: ConsumerState, live: Live): Promise<void> {
    if (c.cancelled || this.live !== live || c.starting || c.channel) return;
    c.starting = true;
    try {
      await this.openConsumer(c, live);
    } finally {
      c.starting = false;
    }
  }

  private async openConsumer(c: ConsumerState, live: Live): Promise<void> {
    const ch = await live.model.createChannel();
    ch.on('error', (e: Error) => this.log.warn('AMQP consumer channel closed by the broker', { connection: this.opts.connectionName, queue: c.queue.name, error: e.message }));
    ch.on('close', () => {
      if (c.channel !== ch) return;
      c.channel = null;
      c.tag = null;
      if (!c.cancelled && !this.closed && this.live === live) this.consumerFailed(c, new Error('channel closed'));
    });
    let open = true;
    ch.on('close', () => {
      open = false;
    });
    try {
      await ch.prefetch(c.prefetch);
      await declare(ch, c.queue);
      const reply = await ch.consume(
        c.queue.name,
        (msg: ConsumeMessage | null) => {
          if (msg === null) {
            // The broker cancelled the consumer (its queue was deleted): set it up again later.
            if (c.channel === ch) void ch.close().catch(() => {});
            return;
          }
          const delivery = toDelivery(msg, ch, () => open);
          c.handler(delivery).catch((e: Error) => {
            this.log.error('AMQP message handler failed; the message goes back to the queue', { queue: c.queue.name, error: e.message });
            delivery.nack(true);
          });
        },
        { noAck: false },
      );
      if (c.cancelled) {
        await ch.close().catch(() => {});
        return;
      }
      c.channel = ch;
      c.tag = reply.consumerTag;
    } catch (e) {
      await ch.close().catch(() => {});
      throw e;
    }
  }

  private consumerFailed(c: ConsumerState, e: Error): void {
    if (c.cancelled || this.closed || c.restartTimer) return;
    this.log.warn('AMQP consumer stopped; setting it up again', { queue: c.queue.name, error: e.message });
    c.restartTimer = setTimeout(() => {
      c.restartTimer = null;
      // On whatever connection is current: a setup that failed with the old one may have missed the reconnect.
      const current = this.live;
      if (!current) return; // the reconnect sets it up
      this.startConsumer(c, current).catch((err: Error) => this.consumerFailed(c, err));
    }, 1_000);
  }

  private async cancel(c: ConsumerState): Promise<void> {
    c.cancelled = true;
    this.consumers.delete(c);
    if (c.restartTimer) clearTimeout(c.restartTimer);
    const ch = c.channel;
    c.channel = null;
    if (ch && c.tag) await ch.cancel(c.tag).catch(() => {});
    // The channel stays open briefly so handlers in flight can still acknowledge.
    if (ch) setTimeout(() => void ch.close().catch(() => {}), 2_000).unref();
  }

  interrupt(): void {
    const live = this.live;
    if (!live) return;
    const stream = (live.model.connection as unknown as { stream?: { destroy(err?: Error): void } }).stream;
    stream?.destroy(new Error('connection interrupted'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    for (const c of this.consumers) {
      c.cancelled = true;
      if (c.restartTimer) clearTimeout(c.restartTimer);
    }
    this.consumers.clear();
    const live = this.live;
    this.live = null;
    if (live) await live.model.close().catch(() => {});
    await this.connecting?.catch(() => {});
  }
}

async function declare(ch: Channel, spec: QueueSpec): Promise<void> {
  if (spec.assert === false) return;
  const args: Record<string, string> = {};
  if (spec.deadLetterExchange !== undefined) args['x-dead-letter-exchange'] = spec.deadLetterExchange;
  if (spec.deadLetterRoutingKey !== undefined) args['x-dead-letter-routing-key'] = spec.deadLetterRoutingKey;
  await ch.assertQueue(spec.name, { durable: spec.durable ?? true, ...(Object.keys(args).length ? { arguments: args } : {}) });
  for (const b of spec.bindings ?? []) await ch.bindQueue(spec.name, b.exchange, b.routingKey);
}

function str(v: unknown): string | null {
  return v === undefined || v === null ? null : String(v);
}

function toDelivery(msg: ConsumeMessage, ch: Channel, open: () => boolean): Delivery {
  const p = msg.properties;
  let settled = false;
  const settle = (fn: () => void) => {
    if (settled || !open()) return;
    settled = true;
    try {
      fn();
    } catch {
      // The channel closed in between: the broker redelivers the message.
    }
  };
  return {
    body: msg.content,
    properties: {
      contentType: str(p.contentType),
      correlationId: str(p.correlationId),
      replyTo: str(p.replyTo),
      messageId: str(p.messageId),
      type: str(p.type),
      appId: str(p.appId),
      userId: str(p.userId),
      timestamp: typeof p.timestamp === 'number' ? p.timestamp : null,
      headers: (p.headers ?? {}) as Record<string, unknown>,
    },
    exchange: msg.fields.exchange,
    routingKey: msg.fields.routingKey,
    redelivered: msg.fields.redelivered,
    ack: () => settle(() => ch.ack(msg)),
    nack: (requeue) => settle(() => ch.nack(msg, false, requeue)),
  };
}
