/**
 * The records CadenzaFlow exchanges over Kafka: the headers it sets and
 * reads, the reply to a request, the external task it pushes and the
 * worker's answer. Bodies are JSON (UTF-8); every shape is checked with zod
 * so a malformed record is named with what is wrong with it.
 */
import { z } from 'zod';

export const HEADERS = {
  /** On a request: the token that completes the waiting activity. A reply carries it back. */
  correlationToken: 'cadenzaflow-correlation-token',
  /** On a request: the topic CadenzaFlow reads replies from. */
  replyTo: 'cadenzaflow-reply-to',
  /** On every record a connector sends: the same for every attempt of the activity's call (consumers deduplicate by it). */
  idempotencyKey: 'cadenzaflow-idempotency-key',
  /** On a pushed external task, and on the worker's answer. */
  externalTaskId: 'cadenzaflow-external-task-id',
  contentType: 'content-type',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

const variables = z.record(z.string(), z.unknown());

/** The body of a reply to a request (header `cadenzaflow-correlation-token` names the call). */
export const ReplyBody = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('result'),
    /** What the activity's output parameters read. */
    output: variables.default({}),
  }),
  z.object({
    outcome: z.literal('bpmnError'),
    errorCode: z.string().min(1),
    errorMessage: z.string().optional(),
    variables: variables.optional(),
  }),
  z.object({
    outcome: z.literal('failure'),
    /** A technical failure: the request is sent again by a job (job retries, then an incident). */
    errorMessage: z.string().min(1),
    retries: z.number().int().min(0).optional(),
    retryDelayMs: z.number().int().min(0).optional(),
  }),
]);
export type ReplyBody = z.infer<typeof ReplyBody>;

/** What a worker answers to a pushed external task, with Camunda's REST semantics for each outcome. */
export const TaskAnswerBody = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('complete'),
    taskId: z.string().min(1).optional(),
    variables: variables.optional(),
    localVariables: variables.optional(),
  }),
  z.object({
    outcome: z.literal('failure'),
    taskId: z.string().min(1).optional(),
    errorMessage: z.string().nullish(),
    errorDetails: z.string().nullish(),
    /** Retries left; 0 raises a failedExternalTask incident. */
    retries: z.number().int().min(0),
    /** Milliseconds before the task is pushed again. Default 0. */
    retryTimeout: z.number().int().min(0).optional(),
  }),
  z.object({
    outcome: z.literal('bpmnError'),
    taskId: z.string().min(1).optional(),
    errorCode: z.string().min(1),
    errorMessage: z.string().nullish(),
    variables: variables.optional(),
  }),
  z.object({
    outcome: z.literal('extendLock'),
    taskId: z.string().min(1).optional(),
    /** New lock duration from now, ms. */
    newDuration: z.number().int().positive(),
  }),
]);
export type TaskAnswerBody = z.infer<typeof TaskAnswerBody>;

/** The body of a pushed external task. */
export interface PushedTask {
  id: string;
  topicName: string;
  /** The bridge's worker id: the lock is held in its name. */
  workerId: string;
  lockExpirationTime: string | null;
  retries: number | null;
  priority: number;
  activityId: string;
  activityInstanceId: string;
  processInstanceId: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  errorMessage: string | null;
  /** Plain JSON values (dates as ISO strings). */
  variables: Record<string, unknown>;
  extensionProperties: Record<string, string>;
  /** Where to answer (also in the `cadenzaflow-reply-to` header). */
  replyTo: string;
}

/** Parses a JSON body; the error says where the record came from and what is wrong. */
export function parseJson(value: Buffer | null, where: string): unknown {
  if (value === null) throw new Error(`${where} has no body (expected JSON)`);
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch (e) {
    throw new Error(`${where} is not JSON: ${(e as Error).message}`);
  }
}

/** Every issue with its path, e.g. `kafka.inbound.0.topic: …`; `root` names the whole value. */
export function describeIssues(error: z.ZodError, root = 'body'): string {
  return error.issues.map((i) => `${[root, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
}

export function recordWhere(r: { topic: string; partition: number; offset: string }): string {
  return `Kafka record ${r.topic}/${r.partition}@${r.offset}`;
}
