/**
 * The plugin configuration of the AMQP services (`plugins: [{ name, config:
 * { amqp: {...} } }]`): the broker, the reply queue of request/reply calls,
 * inbound queues bound to BPMN messages, and external-task topics pushed to
 * queues instead of polled.
 */
import { z } from '../../plugins/index.js';
import type { SecretSource } from '../../engine/index.js';
import { DEFAULT_REPLY_QUEUE } from './runtime.js';

/** Where a value of an inbound message comes from. */
const valueSource = z.union([
  z.object({ header: z.string().min(1) }).strict(),
  z.object({ property: z.enum(['correlationId', 'messageId', 'type', 'appId', 'userId', 'replyTo']) }).strict(),
  /** A dotted path into the JSON body, e.g. `order.id`. */
  z.object({ json: z.string().min(1) }).strict(),
]);

export type ValueSource = z.output<typeof valueSource>;

const binding = z.object({ exchange: z.string().min(1), routingKey: z.string().default('') }).strict();

export const inboundBinding = z
  .object({
    /** The queue to consume; declared durable unless `assertQueue` is false. */
    queue: z.string().min(1),
    /** The BPMN message name it is correlated as (a waiting catch event or receive task, else a message start event). */
    messageName: z.string().min(1),
    businessKey: valueSource.optional(),
    /** Process variables the instance must have with these values. */
    correlationKeys: z.record(z.string(), valueSource).optional(),
    /** Put the whole body (JSON, or text) in this one variable; otherwise a JSON object body's fields become the variables. */
    bodyVariable: z.string().min(1).optional(),
    /** A message that correlates to nothing: `deadLetter` (reject, to the queue's dead-letter exchange if it has one), `requeue` (later), or `drop`. Default deadLetter. */
    onNoMatch: z.enum(['deadLetter', 'requeue', 'drop']).default('deadLetter'),
    /** Declares the queue with this dead-letter exchange. */
    deadLetterExchange: z.string().optional(),
    deadLetterRoutingKey: z.string().optional(),
    bindings: z.array(binding).optional(),
    /** Default true; false when someone else owns the queue's declaration. */
    assertQueue: z.boolean().default(true),
    prefetch: z.number().int().positive().optional(),
  })
  .strict();

export type InboundBinding = z.output<typeof inboundBinding>;

export const pushedTopic = z
  .object({
    topicName: z.string().min(1),
    /** The queue tasks are published to; default `cadenzaflow.external-tasks.<topicName>`. Ignored when `exchange` is given. */
    queue: z.string().min(1).optional(),
    exchange: z.string().min(1).optional(),
    /** With `exchange`; default the topic name. */
    routingKey: z.string().optional(),
    /** How long a pushed task stays locked for its worker, ms. Default 300 000. */
    lockDuration: z.number().int().positive().default(300_000),
    /** Variables sent with the task; default all visible ones. */
    variables: z.array(z.string()).optional(),
    localVariables: z.boolean().default(false),
    includeExtensionProperties: z.boolean().default(false),
  })
  .strict();

export type PushedTopic = z.output<typeof pushedTopic>;

export const externalTaskPush = z
  .object({
    /** The worker id the bridge locks tasks with (and reports results as). */
    workerId: z.string().min(1).default('cadenzaflow-amqp'),
    /** Where workers report complete / failure / bpmnError. */
    replyQueue: z.string().min(1).default('cadenzaflow.external-tasks.replies'),
    /** Tasks locked per fetch. Default 10. */
    maxTasks: z.number().int().positive().default(10),
    /** Longest wait of one long-polling fetch, ms. Default 30 000. */
    pollTimeoutMs: z.number().int().positive().default(30_000),
    topics: z.array(pushedTopic).min(1),
  })
  .strict();

export type ExternalTaskPush = z.output<typeof externalTaskPush>;

export const amqpConfig = z
  .object({
    /** The broker; `{{secrets.NAME}}` references are resolved from the engine's secret source. */
    url: z.string().min(1),
    /** Replies to request/reply calls; declared durable. */
    replyQueue: z.string().min(1).default(DEFAULT_REPLY_QUEUE),
    /** Unacknowledged messages per consumer. Default 10. */
    prefetch: z.number().int().positive().default(10),
    /** How long a message whose handling failed (database down, engine busy) waits before it goes back to its queue, ms. Default 1 000. */
    retryDelayMs: z.number().int().min(0).default(1_000),
    inbound: z.array(inboundBinding).default([]),
    externalTasks: externalTaskPush.optional(),
  })
  .strict();

export type AmqpConfig = z.output<typeof amqpConfig>;

/** Reads the configuration; a problem names the field (`amqp.inbound.0.queue: …`). */
export function parseAmqpConfig(raw: unknown): AmqpConfig {
  const r = amqpConfig.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `amqp${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`);
  throw new Error(`Invalid AMQP plugin configuration: ${problems.join('; ')}`);
}

const SECRET_REF = /\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** Resolves `{{secrets.NAME}}` in a configuration value; an undefined secret names itself and the field. */
export function resolveConfigSecrets(text: string, source: SecretSource, field: string): string {
  return text.replace(SECRET_REF, (_m, name: string) => {
    const v = source(name);
    if (v === undefined) throw new Error(`Secret '${name}' referenced by the plugin configuration '${field}' is not defined`);
    return v;
  });
}
