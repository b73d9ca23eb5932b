/**
 * `amqp`: publishes a message to RabbitMQ (or any AMQP 0-9-1 broker), done
 * only when the broker confirmed it, or sends a command and waits for its
 * reply (request/reply): the command carries the call's correlation token as
 * `correlationId` and the reply queue as `replyTo`, and the activity waits
 * until the reply consumer service completes it.
 */
import { ConnectorError, defineConnector, z, type ConnectorContext } from '../../plugins/index.js';
import { booleanish, millis } from '../http/http-input.js';
import { AmqpPublishError, type AmqpHeaderValue, type PublishOptions } from './client.js';
import { AmqpRuntime } from './runtime.js';

export const AMQP_CONNECTOR_ID = 'amqp';

const SECRET_REF = /\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}/g;

function isAmqpUrl(text: string): boolean {
  const probe = text.replace(SECRET_REF, 'secret');
  // A URL that is a secret as a whole (credentials and all) can only be checked once resolved, at run time.
  if (probe.startsWith('secret')) return true;
  try {
    const u = new URL(probe);
    return u.protocol === 'amqp:' || u.protocol === 'amqps:';
  } catch {
    return false;
  }
}

const headerValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const amqpInput = z
  .object({
    /** The broker, `amqp://user:password@host:5672/vhost`; default the plugin configuration's `url`. Put credentials in `{{secrets.…}}`. */
    url: z.string().trim().refine(isAmqpUrl, { message: 'must be an amqp:// or amqps:// URL' }).optional(),
    /** `publish` (default): done when the broker confirmed. `request`: wait for the reply. */
    mode: z.enum(['publish', 'request']).default('publish'),
    /** The exchange to publish to; '' (default) is the default exchange, which routes by queue name. */
    exchange: z.string().default(''),
    /** Publish straight to this queue (the default exchange with the queue's name as routing key). */
    queue: z.string().min(1).optional(),
    routingKey: z.string().optional(),
    /** The message body: text as it is, anything else as JSON. */
    payload: z.unknown().optional(),
    /** Default `application/json` for JSON payloads, `text/plain` for text. */
    contentType: z.string().min(1).optional(),
    headers: z.record(z.string(), headerValue).optional(),
    /** Delivery mode 2, so the broker keeps the message on disk. Default true. */
    persistent: booleanish.default(true),
    /** Fail when no queue receives the message. Default false. */
    mandatory: booleanish.default(false),
    /** The AMQP `type` property. */
    messageType: z.string().min(1).optional(),
    /** Milliseconds the message may wait in a queue before the broker drops (or dead-letters) it. */
    expiration: millis.optional(),
    /** Request/reply: the queue replies go to; default the plugin configuration's `replyQueue`. */
    replyTo: z.string().min(1).optional(),
    /** Request/reply: milliseconds to wait for the reply; none means no deadline. */
    timeout: millis.optional(),
    /** Request/reply: when set, a missed deadline throws this BPMN error; otherwise it raises an incident. */
    timeoutErrorCode: z.string().min(1).optional(),
    timeoutErrorMessage: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.queue !== undefined && (v.exchange !== '' || v.routingKey !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['queue'], message: "give either 'queue' or 'exchange'/'routingKey', not both" });
    }
    if (v.queue === undefined && v.exchange === '' && !v.routingKey) {
      ctx.addIssue({ code: 'custom', path: ['queue'], message: "name a 'queue', or an 'exchange' (and 'routingKey')" });
    }
    if (v.mode === 'publish') {
      for (const k of ['replyTo', 'timeout', 'timeoutErrorCode', 'timeoutErrorMessage'] as const) {
        if (v[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: "only applies to mode 'request'" });
      }
    }
  });

export type AmqpInput = z.output<typeof amqpInput>;

export const amqpOutput = z.object({
  /** The message's `messageId`: the call's idempotency key, the same for every retry, so consumers can deduplicate. */
  messageId: z.string(),
  exchange: z.string(),
  routingKey: z.string(),
});

export type AmqpOutput = z.output<typeof amqpOutput>;

function encode(payload: unknown, contentType: string | undefined): { body: Buffer; contentType: string } {
  if (payload === undefined || payload === null) return { body: Buffer.alloc(0), contentType: contentType ?? 'application/octet-stream' };
  if (typeof payload === 'string') return { body: Buffer.from(payload, 'utf8'), contentType: contentType ?? 'text/plain; charset=utf-8' };
  if (Buffer.isBuffer(payload)) return { body: payload, contentType: contentType ?? 'application/octet-stream' };
  return { body: Buffer.from(JSON.stringify(payload), 'utf8'), contentType: contentType ?? 'application/json' };
}

function failure(e: unknown, activityId: string, where: string): Error {
  if (e instanceof ConnectorError) return e;
  const message = `Connector '${AMQP_CONNECTOR_ID}' of activity '${activityId}': ${e instanceof Error ? e.message : String(e)}`;
  if (e instanceof AmqpPublishError) return new ConnectorError(AMQP_CONNECTOR_ID, message, { retryable: e.retryable, cause: e });
  // Declaring the reply queue or waiting for the connection failed: the broker may come back.
  return new ConnectorError(AMQP_CONNECTOR_ID, `${message} (${where})`, { cause: e });
}

/** The `amqp` connector over the runtime's shared connections. */
export function createAmqpConnector(runtime: AmqpRuntime) {
  return defineConnector({
    id: AMQP_CONNECTOR_ID,
    version: '1.0.0',
    name: 'AMQP (RabbitMQ)',
    description: 'Publishes a message with publisher confirms, or sends a command and waits for its reply.',
    input: amqpInput,
    output: amqpOutput,
    target: (input) => {
      const url = input.url ?? runtime.defaultUrl;
      if (!url) return null;
      try {
        const u = new URL(url);
        return `${u.protocol}//${u.host}`;
      } catch {
        return null;
      }
    },
    async execute(input: AmqpInput, ctx: ConnectorContext) {
      const url = input.url ?? runtime.defaultUrl;
      if (!url) {
        throw new ConnectorError(AMQP_CONNECTOR_ID, `Connector '${AMQP_CONNECTOR_ID}' of activity '${ctx.activityId}' has no broker: give the 'url' input or configure the plugin's amqp.url`, { retryable: false });
      }
      const client = runtime.client(url);
      const exchange = input.queue !== undefined ? '' : input.exchange;
      const routingKey = input.queue ?? input.routingKey ?? '';
      const { body, contentType } = encode(input.payload, input.contentType);
      const options: PublishOptions = {
        persistent: input.persistent,
        mandatory: input.mandatory,
        contentType,
        messageId: ctx.idempotencyKey,
        ...(input.headers ? { headers: input.headers as Record<string, AmqpHeaderValue> } : {}),
        ...(input.messageType ? { type: input.messageType } : {}),
        ...(input.expiration !== undefined ? { expiration: input.expiration } : {}),
      };
      if (input.mode === 'request') {
        const replyTo = input.replyTo ?? runtime.replyQueue;
        try {
          // Declared before the command leaves, so a reply that comes before the consumer runs is kept.
          await client.assertQueue({ name: replyTo }, ctx.signal);
        } catch (e) {
          throw failure(e, ctx.activityId, `declaring reply queue '${replyTo}'`);
        }
        options.correlationId = ctx.correlationToken;
        options.replyTo = replyTo;
      }
      try {
        await client.publish(exchange, routingKey, body, options, ctx.signal);
      } catch (e) {
        throw failure(e, ctx.activityId, 'publishing');
      }
      ctx.logger.debug('AMQP message confirmed', { activityId: ctx.activityId, exchange, routingKey, messageId: ctx.idempotencyKey });
      if (input.mode === 'publish') return { messageId: ctx.idempotencyKey, exchange, routingKey };
      return ctx.pending({
        ...(input.timeout !== undefined ? { timeoutMs: input.timeout } : {}),
        onTimeout:
          input.timeoutErrorCode !== undefined
            ? { kind: 'bpmnError', errorCode: input.timeoutErrorCode, ...(input.timeoutErrorMessage !== undefined ? { errorMessage: input.timeoutErrorMessage } : {}) }
            : { kind: 'incident', message: input.timeoutErrorMessage ?? `No reply on '${input.replyTo ?? runtime.replyQueue}' within ${input.timeout} ms to the command sent to ${exchange ? `exchange '${exchange}'` : `queue '${routingKey}'`}` },
      });
    },
  });
}
