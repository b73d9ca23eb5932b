/**
 * The Kafka plugin configuration (the `kafka` block of the plugin config):
 * the connection, the reply topics of requests, inbound bindings of topics
 * to BPMN messages, and external-task topics pushed to Kafka. Documented in
 * README.md; checked here so a wrong field stops the node with its path.
 */
import { z } from 'zod';
import { describeIssues } from './protocol.js';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, ".", "_", "-")');
const ms = z.number().int().positive();

/** Where a value comes from in a record: its key, a header, or a field of the JSON body (dotted path). */
export const ValueSource = z.discriminatedUnion('from', [
  z.object({ from: z.literal('key') }),
  z.object({ from: z.literal('header'), name: z.string().min(1) }),
  z.object({ from: z.literal('json'), path: z.string().min(1) }),
]);
export type ValueSource = z.infer<typeof ValueSource>;

export const InboundBinding = z.object({
  topic: topicName,
  /** The BPMN message (`<bpmn:message name="…">`) each record is correlated as. */
  messageName: z.string().min(1),
  businessKey: ValueSource.optional(),
  /** Process variables that must equal the given values (Camunda's correlation keys). */
  correlationKeys: z.record(z.string(), ValueSource).optional(),
  /**
   * The variables handed to the process: `body` (default) the fields of the JSON object body, `none`,
   * or variable name → dotted path into the body.
   */
  variables: z.union([z.enum(['body', 'none']), z.record(z.string(), z.string().min(1))]).default('body'),
  tenantId: z.string().min(1).optional(),
  /** Only start instances (message start events), never correlate to waiting ones. */
  startOnly: z.boolean().default(false),
  /** Correlate to every waiting execution and start event that matches. */
  all: z.boolean().default(false),
  /** How long a record no execution waits for is tried again (the waiting instance may not have committed yet); then it is skipped. Default 0: at once. */
  noMatchRetryMs: z.number().int().min(0).default(0),
  /**
   * A process variable that receives the record's position (`topic/partition@offset`); a record
   * already found on a running instance is then skipped as a redelivery. Default: none.
   */
  recordIdVariable: z.string().min(1).optional(),
});
export type InboundBinding = z.infer<typeof InboundBinding>;

export const PushTopic = z.object({
  /** The external-task topic (`camunda:topic`). */
  topicName: z.string().min(1),
  /** The Kafka topic its tasks are published to. */
  kafkaTopic: topicName,
  /** How long a pushed task stays locked for its worker, ms. Default 5 minutes. */
  lockDuration: ms.default(300_000),
  /** Variables to send; default all visible ones. */
  variables: z.array(z.string().min(1)).optional(),
  localVariables: z.boolean().default(false),
  includeExtensionProperties: z.boolean().default(false),
});
export type PushTopic = z.infer<typeof PushTopic>;

export const KafkaConfig = z.object({
  brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'host:port')).min(1),
  clientId: z.string().min(1).default('cadenzaflow'),
  ssl: z.boolean().optional(),
  sasl: z.object({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: z.string(), password: z.string() }).optional(),
  connectionTimeoutMs: ms.optional(),
  requestTimeoutMs: ms.optional(),
  retry: z.object({ retries: z.number().int().min(0).optional(), initialRetryTimeMs: ms.optional(), maxRetryTimeMs: ms.optional() }).optional(),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).optional(),
  /** Prefix of every consumer group this node joins (`<groupId>.replies`, `.inbound`, `.tasks`). */
  groupId: z.string().min(1).default('cadenzaflow'),
  consumer: z
    .object({
      sessionTimeoutMs: ms.optional(),
      heartbeatIntervalMs: ms.optional(),
      rebalanceTimeoutMs: ms.optional(),
      maxWaitTimeMs: ms.optional(),
      partitionsConsumedConcurrently: z.number().int().positive().optional(),
    })
    .default({}),
  /** Create missing reply and push topics when the node starts. Default true. */
  createTopics: z.boolean().default(true),
  /** Topics replies to requests arrive on; the first is the default `replyTopic` of the connector. */
  replyTopics: z.array(topicName).default(['cadenzaflow.replies']),
  /** Replies handled at once per partition. Default 16. */
  replyConcurrency: z.number().int().positive().default(16),
  /**
   * How long a reply whose call is not (yet) waiting is tried again, ms from when it was sent. A
   * responder may answer before the activity's transaction committed; after this it is skipped
   * as a replay. Default 5000.
   */
  replyGraceMs: z.number().int().min(0).default(5000),
  inbound: z.array(InboundBinding).default([]),
  /** Where inbound consumers of a new group start: the oldest record (true) or only new ones. Default false. */
  inboundFromBeginning: z.boolean().default(false),
  push: z
    .object({
      /** The worker id the bridge locks tasks with. */
      workerId: z.string().min(1).default('cadenzaflow-kafka-bridge'),
      /** The topic workers answer on. */
      replyTopic: topicName.default('cadenzaflow.external-task-answers'),
      /** Tasks locked per fetch. Default 50. */
      maxTasks: z.number().int().positive().default(50),
      /** How long one fetch waits for new tasks, ms. Default 20 000. */
      asyncResponseTimeout: ms.default(20_000),
      topics: z.array(PushTopic).min(1),
    })
    .optional(),
});
export type KafkaConfig = z.infer<typeof KafkaConfig>;
export type KafkaConfigInput = z.input<typeof KafkaConfig>;

/** Reads the plugin config block; the error names every wrong field under `where`. */
export function parseKafkaConfig(raw: unknown, where = 'kafka'): KafkaConfig {
  const r = KafkaConfig.safeParse(raw);
  if (!r.success) throw new Error(`Invalid Kafka configuration: ${describeIssues(r.error, where)}`);
  return r.data;
}
