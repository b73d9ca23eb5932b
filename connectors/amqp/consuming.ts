/**
 * What every AMQP consumer service does alike: handle deliveries
 * concurrently, remember the ones in flight so a stop lets them acknowledge
 * before the connection closes, and hold a failed message back for a while
 * before it returns to its queue (no hot redelivery loop while the database
 * is down).
 */
import type { ConnectorLogger, Engine } from '../../engine/index.js';
import type { PluginHost } from '../../plugins/index.js';
import type { AmqpClient, Consumer, Delivery, QueueSpec } from './client.js';

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** How long a starting service waits for the broker before it goes on and lets the client connect in the background. */
const START_WAIT_MS = 10_000;

export abstract class QueueConsumerService {
  abstract readonly name: string;
  private consumer: Consumer | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  protected readonly stopping = new AbortController();
  private hostRef: PluginHost | null = null;

  constructor(
    protected readonly client: () => AmqpClient,
    protected readonly retryDelayMs: number,
    private readonly prefetch: number,
  ) {}

  protected abstract queue(): QueueSpec;
  protected abstract handle(d: Delivery): Promise<void>;

  protected get host(): PluginHost {
    if (!this.hostRef) throw new Error(`AMQP service '${this.name}' is not started`);
    return this.hostRef;
  }

  /** Read at every message, so a host whose engine is replaced hands over the new one. */
  protected get engine(): Engine {
    return this.host.engine;
  }

  protected get log(): ConnectorLogger {
    return this.host.logger;
  }

  async start(host: PluginHost): Promise<void> {
    this.hostRef = host;
    const client = this.client();
    await client.ready({ timeoutMs: START_WAIT_MS }).catch((e: Error) => host.logger.warn('AMQP broker not reachable yet; consuming once it is', { service: this.name, error: e.message }));
    this.consumer = await client.consume(this.queue(), (d) => this.track(d), { prefetch: this.prefetch });
  }

  private track(d: Delivery): Promise<void> {
    const p = this.handle(d).catch((e: Error) => {
      this.log.error('AMQP message could not be handled; it goes back to its queue', { service: this.name, error: e.message });
      return this.requeueLater(d);
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Back to the queue after the retry delay (at once when stopping: the next node takes it). */
  protected async requeueLater(d: Delivery): Promise<void> {
    await sleep(this.retryDelayMs, this.stopping.signal);
    d.nack(true);
  }

  async stop(): Promise<void> {
    await this.consumer?.cancel();
    this.consumer = null;
    this.stopping.abort();
    const gaveUp = new AbortController();
    await Promise.race([Promise.allSettled([...this.inFlight]), sleep(5_000, gaveUp.signal)]);
    gaveUp.abort();
  }
}
