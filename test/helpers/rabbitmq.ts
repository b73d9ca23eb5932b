/**
 * The real RabbitMQ the AMQP tests run against (CADENZAFLOW_TEST_AMQP_URL,
 * default amqp://guest:guest@127.0.0.1:5672): an admin channel for the
 * test's own topology and inspection, unique names per run, and a way to
 * cut the engine's connections as a network failure would.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import type { AmqpClient } from '../../connectors/amqp/index.js';

const run = promisify(execFile);

export const TEST_AMQP_URL = process.env['CADENZAFLOW_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A name no other test run uses: `<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Topology and inspection for tests; deletes what it declared on close. */
export class RabbitAdmin {
  private readonly queues = new Set<string>();
  private readonly exchanges = new Set<string>();

  private constructor(
    private readonly conn: ChannelModel,
    private readonly ch: Channel,
  ) {}

  static async open(): Promise<RabbitAdmin> {
    const conn = await amqp.connect(TEST_AMQP_URL, { clientProperties: { connection_name: uniqueName('cf-test-admin') } });
    const ch = await conn.createChannel();
    return new RabbitAdmin(conn, ch);
  }

  async queue(name: string, args: Record<string, string> = {}): Promise<string> {
    await this.ch.assertQueue(name, { durable: true, ...(Object.keys(args).length ? { arguments: args } : {}) });
    this.queues.add(name);
    return name;
  }

  /** A queue declared by the code under test, to be deleted after the suite. */
  forget(name: string): void {
    this.queues.add(name);
  }

  async exchange(name: string, type: 'fanout' | 'direct' | 'topic'): Promise<string> {
    await this.ch.assertExchange(name, type, { durable: false, autoDelete: false });
    this.exchanges.add(name);
    return name;
  }

  async bind(queue: string, exchange: string, routingKey: string): Promise<void> {
    await this.ch.bindQueue(queue, exchange, routingKey);
  }

  async publish(queue: string, body: unknown, props: amqp.Options.Publish = {}): Promise<void> {
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    this.ch.sendToQueue(queue, content, { persistent: true, ...props });
  }

  /** One message from the queue (acknowledged), or null when it is empty. */
  async get(queue: string): Promise<GetMessage | null> {
    const m = await this.ch.get(queue, { noAck: true });
    return m === false ? null : m;
  }

  /** Messages ready in the queue (not those delivered and unacknowledged). */
  async depth(queue: string): Promise<number> {
    return (await this.ch.checkQueue(queue)).messageCount;
  }

  async close(): Promise<void> {
    for (const q of this.queues) await this.ch.deleteQueue(q).catch(() => {});
    for (const x of this.exchanges) await this.ch.deleteExchange(x).catch(() => {});
    await this.conn.close().catch(() => {});
  }
}

/**
 * Closes the broker side of every connection whose name starts with the
 * prefix (`rabbitmqctl close_connection`), as a broker restart or network
 * failure would. Without rabbitmqctl the clients' sockets are destroyed.
 */
export async function cutConnections(namePrefix: string, clients: readonly AmqpClient[]): Promise<number> {
  let listing: string;
  try {
    ({ stdout: listing } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers'], { timeout: 30_000 }));
  } catch {
    for (const c of clients) c.interrupt();
    return clients.length;
  }
  // One line per connection: `<rabbit@host.….0>\t[{"connection_name","…"},…]`; close_connection takes that pid.
  const mine = listing
    .split('\n')
    .map((line) => ({ pid: line.split('\t')[0]!, name: /\{"connection_name","([^"]*)"\}/.exec(line)?.[1] }))
    .filter((c) => c.name?.startsWith(namePrefix));
  for (const c of mine) await run('rabbitmqctl', ['close_connection', c.pid, 'cut by a CadenzaFlow test'], { timeout: 30_000 });
  return mine.length;
}
