/**
 * The `kafka` connector: publishes a record (`operation` `produce`), or
 * publishes a command and waits for its reply (`request`): the command
 * carries the call's correlation token and the reply topic in headers, the
 * activity becomes a wait state, and the reply consumer completes it when a
 * reply with that token arrives — or the deadline raises a BPMN error or an
 * incident.
 */
import { ConnectorError, defineConnector, z, type ConnectorContext } from '../../plugins/index.js';
import type { KafkaClient } from './client.js';
import { HEADERS, JSON_CONTENT_TYPE } from './protocol.js';

export const CONNECTOR_ID = 'kafka';

/** What the connector shares with the plugin's services of the same node: the connection and the reply topics they read. */
export interface KafkaLink {
  client: KafkaClient | null;
  replyTopics: readonly string[];
}

const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds from a number, a string of digits, or an ISO 8601 duration (`PT30S`, `P1DT2H`). */
export function durationMs(raw: number | string): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw > 0 ? raw : null;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) : null;
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [, d, h, min, s] = m;
  const total = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return total > 0 ? Math.round(total) : null;
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const KafkaInput = z
  .object({
    /** `produce` (default): send and go on. `request`: send a command and wait for its reply. */
    operation: z.enum(['produce', 'request']).default('produce'),
    topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name (letters, digits, ".", "_", "-")'),
    /** The record key (partitioning, compaction). Numbers are sent as their decimal text. */
    key: z.union([z.string(), z.number()]).nullish(),
    /** A string is sent as it is; anything else as JSON. Absent or null: a record without value. */
    value: z.unknown().optional(),
    headers: z.record(z.string(), scalar).optional(),
    /** `request`: where the reply is expected; default the first of the plugin's `replyTopics`. */
    replyTopic: z.string().min(1).nullish(),
    /** `request`: how long to wait for the reply, ms or ISO 8601 duration (`PT30S`). Default: no deadline. */
    timeout: z
      .union([z.number(), z.string()])
      .refine((v) => durationMs(v) !== null, 'a positive number of milliseconds or an ISO 8601 duration such as PT30S')
      .nullish(),
    /** `request`: the BPMN error thrown when the deadline passes; without it the activity gets an incident and keeps waiting. */
    timeoutErrorCode: z.string().min(1).nullish(),
    timeoutErrorMessage: z.string().nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.operation === 'produce') {
      for (const field of ['replyTopic', 'timeout', 'timeoutErrorCode', 'timeoutErrorMessage'] as const) {
        if (input[field] != null) ctx.addIssue({ code: 'custom', path: [field], message: `only applies to operation 'request'` });
      }
    }
  });
export type KafkaInput = z.output<typeof KafkaInput>;

export const KafkaOutput = z.object({
  topic: z.string(),
  partition: z.number(),
  offset: z.string(),
});

function encodeValue(value: unknown): { value: string | null; json: boolean } {
  if (value === undefined || value === null) return { value: null, json: false };
  if (typeof value === 'string') return { value, json: false };
  return { value: JSON.stringify(value), json: true };
}

function notConnected(ctx: ConnectorContext): ConnectorError {
  return new ConnectorError(CONNECTOR_ID, `The kafka connector of activity '${ctx.activityId}' has no Kafka connection on this node: configure the Kafka plugin (brokers) and let its services start`, { retryable: false });
}

/** The `kafka` connector of one node, sending through `link`. */
export function createKafkaConnector(link: KafkaLink) {
  return defineConnector({
    id: CONNECTOR_ID,
    version: '1.0.0',
    name: 'Kafka',
    description: 'Publishes a record to a Kafka topic, or publishes a command and waits for its reply',
    input: KafkaInput,
    output: KafkaOutput,
    async execute(input, ctx) {
      const client = link.client;
      if (!client) throw notConnected(ctx);
      const { value, json } = encodeValue(input.value);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(input.headers ?? {})) headers[k] = String(v);
      if (json) headers[HEADERS.contentType] ??= JSON_CONTENT_TYPE;
      headers[HEADERS.idempotencyKey] = ctx.idempotencyKey;
      let replyTopic: string | null = null;
      if (input.operation === 'request') {
        replyTopic = input.replyTopic ?? link.replyTopics[0] ?? null;
        if (!replyTopic) throw new ConnectorError(CONNECTOR_ID, `Kafka request of activity '${ctx.activityId}': no reply topic (set input 'replyTopic' or the plugin's replyTopics)`, { retryable: false });
        if (!link.replyTopics.includes(replyTopic)) {
          throw new ConnectorError(
            CONNECTOR_ID,
            `Kafka request of activity '${ctx.activityId}': reply topic '${replyTopic}' is not read by this node (replyTopics: ${link.replyTopics.join(', ') || 'none'}); its reply would never arrive`,
            { retryable: false },
          );
        }
        headers[HEADERS.correlationToken] = ctx.correlationToken;
        headers[HEADERS.replyTo] = replyTopic;
      }
      const key = input.key === undefined || input.key === null ? null : String(input.key);
      let position;
      try {
        [position] = await client.send(input.topic, [{ key, value, headers }]);
      } catch (e) {
        throw new ConnectorError(CONNECTOR_ID, `Sending to Kafka topic '${input.topic}' failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (input.operation === 'produce') return { topic: input.topic, partition: position?.partition ?? -1, offset: position?.offset ?? '' };
      if (input.timeout == null) return ctx.pending();
      const timeoutMs = durationMs(input.timeout)!;
      return ctx.pending({
        timeoutMs,
        onTimeout: input.timeoutErrorCode
          ? { kind: 'bpmnError', errorCode: input.timeoutErrorCode, ...(input.timeoutErrorMessage != null ? { errorMessage: input.timeoutErrorMessage } : {}) }
          : { kind: 'incident', message: `No reply on Kafka topic '${replyTopic}' to the request sent to '${input.topic}' by activity '${ctx.activityId}' within ${timeoutMs} ms` },
      });
    },
  });
}
