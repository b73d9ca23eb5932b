/**
 * The little of Kafka CadenzaFlow needs — send records, consume a consumer
 * group's topics committing each record only after it was handled, make sure
 * topics exist — behind an interface of our own. kafkajs is the
 * implementation; nothing else imports it, so swapping the client (or
 * faking it) touches this file only.
 */
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type EachBatchPayload, type IHeaders, type KafkaMessage, type LogEntry, type Producer } from 'kafkajs';
import type { ConnectorLogger } from '../../engine/index.js';
import { sleep } from '../../plugins/sleep.js';

export interface KafkaClientConfig {
  /** `host:port` of one or more brokers. */
  brokers: readonly string[];
  /** Default `cadenzaflow`. */
  clientId?: string;
  /** TLS with the platform's trusted CAs. Default false. */
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Default 3000 ms. */
  connectionTimeoutMs?: number;
  /** Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Retries of one request (connection loss, leader moves), exponential from `initialRetryTimeMs` (default 300) up to `retries` (default 8). */
  retry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
  /** kafkajs's own log lines at or above this level go to the logger. Default 'warn'. */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/** A record to send. A string value is sent as UTF-8. */
export interface OutgoingRecord {
  key?: string | null;
  value: string | Buffer | null;
  headers?: Readonly<Record<string, string>>;
}

/** Where a sent record landed. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A consumed record; header values decoded as UTF-8 (the first of repeated headers). */
export interface IncomingRecord extends RecordPosition {
  key: string | null;
  value: Buffer | null;
  headers: Readonly<Record<string, string>>;
  /** The record's timestamp, ms since the epoch (the producer's create time, or the log-append time). */
  timestamp: number;
}

export interface ConsumeOptions {
  /** The consumer group; its committed offsets say where a restarted consumer goes on. */
  groupId: string;
  topics: readonly string[];
  /** Where a group with no committed offset starts: the oldest record (true) or only new ones. Default false. */
  fromBeginning?: boolean;
  /** Records of one partition handled at once (their offsets are committed together when all are done). Default 1: in order. */
  concurrency?: number;
  /** Partitions worked on at once. Default 4. */
  partitionsConsumedConcurrently?: number;
  /** Default 10 000 ms. */
  sessionTimeoutMs?: number;
  /** Default 1000 ms. */
  heartbeatIntervalMs?: number;
  /** Default 30 000 ms. */
  rebalanceTimeoutMs?: number;
  /** How long a fetch waits on a broker with nothing new. Default 500 ms. */
  maxWaitTimeMs?: number;
  /**
   * Handles one record. Resolving marks it done: its offset is committed
   * after it and every record before it in the partition are done. Throwing
   * means "not now": the record is handled again after a backoff, for as long
   * as the consumer runs, and is never committed unhandled. `signal` aborts
   * when the consumer stops.
   */
  handle(record: IncomingRecord, signal: AbortSignal): Promise<void>;
}

export interface RunningConsumer {
  /** Resolves once the consumer joined its group and got its partitions (the first time). */
  readonly ready: Promise<void>;
  /** Stops fetching; records being handled are abandoned uncommitted (a later consumer of the group gets them again). */
  stop(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  /** Default: the broker's default. */
  partitions?: number;
  /** Default: the broker's default. */
  replicationFactor?: number;
}

export interface KafkaClient {
  /** Sends records to one topic; resolves once the brokers acknowledged them all (acks from every in-sync replica). */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<RecordPosition[]>;
  /** Starts a consumer; resolves once it is connected and subscribed (it joins its group in the background, see `ready`). */
  consume(opts: ConsumeOptions): Promise<RunningConsumer>;
  /**
   * Makes sure the topics exist: creates missing ones through the admin
   * API, or — where the cluster offers no controller to create them (the
   * librdkafka mock cluster) — through the brokers' automatic topic creation.
   */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Stops every consumer and disconnects. */
  close(): Promise<void>;
}

const LEVELS: Record<NonNullable<KafkaClientConfig['logLevel']>, logLevel> = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first === undefined) continue;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

function toIncoming(topic: string, partition: number, m: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key === null || m.key === undefined ? null : m.key.toString('utf8'),
    value: m.value ?? null,
    headers: decodeHeaders(m.headers),
    timestamp: Number(m.timestamp),
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A Kafka client on kafkajs; `logger` receives kafkajs's log lines and the consumers' retries. */
export function createKafkaClient(config: KafkaClientConfig, logger: ConnectorLogger): KafkaClient {
  if (!config.brokers.length) throw new Error('Kafka client: brokers must name at least one host:port');
  const kafka = new Kafka({
    clientId: config.clientId ?? 'cadenzaflow',
    brokers: [...config.brokers],
    ...(config.ssl ? { ssl: true } : {}),
    ...(config.sasl ? { sasl: { ...config.sasl } as never } : {}),
    connectionTimeout: config.connectionTimeoutMs ?? 3000,
    requestTimeout: config.requestTimeoutMs ?? 30_000,
    retry: { retries: config.retry?.retries ?? 8, initialRetryTime: config.retry?.initialRetryTimeMs ?? 300, maxRetryTime: config.retry?.maxRetryTimeMs ?? 30_000 },
    logLevel: LEVELS[config.logLevel ?? 'warn'],
    logCreator: () => (entry: LogEntry) => {
      const { message: text, ...fields } = entry.log;
      const line = entry.namespace ? `kafkajs ${entry.namespace}: ${text}` : `kafkajs: ${text}`;
      if (entry.level === logLevel.ERROR) logger.error(line, fields);
      else if (entry.level === logLevel.WARN) logger.warn(line, fields);
      else if (entry.level === logLevel.INFO) logger.info(line, fields);
      else logger.debug(line, fields);
    },
  });

  let producer: Promise<Producer> | null = null;
  const consumers = new Set<RunningConsumer>();
  let closed = false;

  const connectedProducer = (): Promise<Producer> => {
    if (closed) return Promise.reject(new Error('Kafka client is closed'));
    if (!producer) {
      // Not kafkajs's idempotent mode: its retries are unbounded and would outlive the connector's timeout. A record
      // sent twice carries the same idempotency key header, and every consumer CadenzaFlow runs is idempotent.
      const p = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
      producer = p.connect().then(
        () => p,
        (e: unknown) => {
          producer = null;
          throw e;
        },
      );
    }
    return producer;
  };

  async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function consume(opts: ConsumeOptions): Promise<RunningConsumer> {
    if (closed) throw new Error('Kafka client is closed');
    const stopping = new AbortController();
    const consumer: Consumer = kafka.consumer({
      groupId: opts.groupId,
      sessionTimeout: opts.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: opts.heartbeatIntervalMs ?? 1000,
      rebalanceTimeout: opts.rebalanceTimeoutMs ?? 30_000,
      maxWaitTimeInMs: opts.maxWaitTimeMs ?? 500,
      allowAutoTopicCreation: true,
      retry: {
        // A consumer that gave up (brokers gone for longer than its retries) starts again instead of staying dead.
        restartOnFailure: async (e) => {
          if (stopping.signal.aborted) return false;
          logger.warn('Kafka consumer failed; restarting it', { groupId: opts.groupId, error: message(e) });
          return true;
        },
      },
    });
    let markReady: () => void = () => undefined;
    let failReady: (e: unknown) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => undefined);
    consumer.on(consumer.events.GROUP_JOIN, () => markReady());
    const concurrency = Math.max(1, opts.concurrency ?? 1);

    /** Handles one record until it is done or the consumer stops; false when it stopped first. */
    const handleUntilDone = async (record: IncomingRecord, payload: EachBatchPayload): Promise<boolean> => {
      for (let attempt = 1; ; attempt++) {
        if (stopping.signal.aborted || !payload.isRunning()) return false;
        try {
          await opts.handle(record, stopping.signal);
          return true;
        } catch (e) {
          if (stopping.signal.aborted) return false;
          const delay = Math.min(5000, 100 * 2 ** Math.min(attempt - 1, 6));
          logger.warn('Kafka record not handled yet; trying again', {
            groupId: opts.groupId,
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
            attempt,
            retryInMs: delay,
            error: message(e),
          });
          await sleep(delay, stopping.signal);
          await payload.heartbeat().catch(() => undefined);
        }
      }
    };

    await consumer.connect();
    for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? false });
    // Not awaited: joining a group takes seconds (the brokers wait for more members), and a node should not start slower for each consumer.
    const started = consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 4,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const records = batch.messages.map((m) => toIncoming(batch.topic, batch.partition, m));
        for (let i = 0; i < records.length; i += concurrency) {
          if (payload.isStale()) return;
          const chunk = records.slice(i, i + concurrency);
          const done = await Promise.all(chunk.map((r) => handleUntilDone(r, payload)));
          // Committing past a record that was not handled would lose it: stop at the first one.
          const firstOpen = done.indexOf(false);
          const handled = firstOpen === -1 ? chunk : chunk.slice(0, firstOpen);
          const last = handled.at(-1);
          if (last) {
            payload.resolveOffset(last.offset);
            try {
              await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
            } catch (e) {
              // The group rebalanced: whoever owns the partition now gets these records again, and handlers are idempotent.
              logger.warn('Kafka offset commit failed; the records will be delivered again', { groupId: opts.groupId, topic: batch.topic, partition: batch.partition, offset: last.offset, error: message(e) });
              return;
            }
          }
          if (firstOpen !== -1) return;
          await payload.heartbeat().catch(() => undefined);
        }
      },
    });
    started.catch((e: unknown) => {
      logger.error('Kafka consumer could not start', { groupId: opts.groupId, error: message(e) });
      failReady(e);
    });

    const running: RunningConsumer = {
      ready,
      stop: async () => {
        if (stopping.signal.aborted) return;
        stopping.abort();
        consumers.delete(running);
        await consumer.disconnect().catch((e: unknown) => logger.warn('Kafka consumer did not disconnect cleanly', { groupId: opts.groupId, error: message(e) }));
      },
    };
    consumers.add(running);
    return running;
  }

  return {
    async send(topic, records) {
      const p = await connectedProducer();
      const meta = await p.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key ?? null, value: r.value, ...(r.headers ? { headers: { ...r.headers } } : {}) })),
      });
      return meta.map((m) => ({ topic: m.topicName, partition: m.partition, offset: m.baseOffset ?? m.offset ?? '' }));
    },

    consume,

    async ensureTopics(topics) {
      if (!topics.length) return;
      await withAdmin(async (admin) => {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (!missing.length) return;
        const cluster = await admin.describeCluster();
        if (cluster.controller !== null && cluster.brokers.some((b) => b.nodeId === cluster.controller)) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((t) => ({ topic: t.topic, ...(t.partitions ? { numPartitions: t.partitions } : {}), ...(t.replicationFactor ? { replicationFactor: t.replicationFactor } : {}) })),
          });
          return;
        }
        // No controller to ask (the mock cluster reports none and lacks CreateTopics): a metadata request creates them.
        await admin.fetchTopicMetadata({ topics: missing.map((t) => t.topic) }).catch(() => undefined);
        const now = new Set(await admin.listTopics());
        const still = missing.filter((t) => !now.has(t.topic)).map((t) => t.topic);
        if (still.length) throw new Error(`Kafka topics ${still.map((t) => `'${t}'`).join(', ')} do not exist and the cluster could not create them (no controller, automatic creation off)`);
      });
    },

    async close() {
      if (closed) return;
      for (const c of [...consumers]) await c.stop();
      closed = true;
      const p = producer;
      producer = null;
      if (p) await p.then((x) => x.disconnect()).catch(() => undefined);
    },
  };
}
