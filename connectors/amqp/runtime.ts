/**
 * What the `amqp` connector and its services share in one process: one
 * reconnecting connection per broker URL, the broker URL and reply queue the
 * plugin is configured with, and the memory of answered calls that lets a
 * redelivered reply be acknowledged at once.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectorLogger } from '../../engine/index.js';
import { PendingCallAnswers } from '../../plugins/index.js';
import { connectAmqp, type AmqpClient } from './client.js';

/** Where request/reply answers arrive unless the plugin configuration or the activity names another queue. */
export const DEFAULT_REPLY_QUEUE = 'cadenzaflow.amqp.replies';

const QUIET: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface AmqpRuntimeOptions {
  /** Prefix of the connection names the broker shows. Default `cadenzaflow`. */
  connectionName?: string;
  logger?: ConnectorLogger;
  /** How long an answer for a token nobody waits for is tried again (it may overtake its call's commit), ms. Default 3 000. */
  answerGraceMs?: number;
  /** First reconnect delay, ms. Default 100. */
  reconnectDelayMs?: number;
}

export class AmqpRuntime {
  private readonly clients = new Map<string, AmqpClient>();
  /** The broker of activities without a `url` input (the plugin configuration's `url`). */
  defaultUrl: string | null = null;
  /** Where request/reply answers arrive unless an activity names `replyTo`. */
  replyQueue: string = DEFAULT_REPLY_QUEUE;
  readonly answers: PendingCallAnswers;
  logger: ConnectorLogger;
  private readonly name: string;

  constructor(private readonly opts: AmqpRuntimeOptions = {}) {
    this.logger = opts.logger ?? QUIET;
    this.answers = new PendingCallAnswers({ graceMs: opts.answerGraceMs ?? 3_000 });
    this.name = `${opts.connectionName ?? 'cadenzaflow'}-${randomBytes(3).toString('hex')}`;
  }

  /** The shared connection to a broker, opened on first use (again after `close`). */
  client(url: string): AmqpClient {
    let c = this.clients.get(url);
    if (!c) {
      c = connectAmqp(url, {
        connectionName: `${this.name}-${this.clients.size + 1}`,
        logger: this.logger,
        ...(this.opts.reconnectDelayMs !== undefined ? { reconnectDelayMs: this.opts.reconnectDelayMs } : {}),
      });
      this.clients.set(url, c);
    }
    return c;
  }

  /** Every connection opened so far (operators, tests). */
  connections(): AmqpClient[] {
    return [...this.clients.values()];
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
