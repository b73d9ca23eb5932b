/**
 * The JSON answers that come back over AMQP: replies to request/reply calls
 * (matched by `correlationId` = the call's correlation token) and worker
 * reports on pushed external tasks (matched by `correlationId` = the task id).
 */
import { z } from '../../plugins/index.js';
import type { PendingOutcome } from '../../engine/index.js';

const variables = z.record(z.string(), z.unknown());

/** A reply to a request/reply call. */
export const callReply = z.discriminatedUnion('status', [
  /** The call succeeded: `variables` are the result the activity's output parameters read. */
  z.object({ status: z.literal('complete'), variables: variables.default({}) }),
  /** A business error, thrown from the activity (error boundary events catch it); `variables` are set first. */
  z.object({ status: z.literal('bpmnError'), errorCode: z.string().min(1), errorMessage: z.string().optional(), variables: variables.optional() }),
  /** A technical failure: the command is published again by a job (job retries, then an incident). */
  z.object({
    status: z.literal('failure'),
    errorMessage: z.string().min(1),
    retries: z.number().int().min(0).optional(),
    retryDelayMs: z.number().int().min(0).optional(),
  }),
]);

/** A worker's report on a pushed external task, with the REST API's meaning. */
export const workerReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('complete'), taskId: z.string().optional(), variables: variables.optional(), localVariables: variables.optional() }),
  z.object({
    status: z.literal('failure'),
    taskId: z.string().optional(),
    errorMessage: z.string().nullable().optional(),
    errorDetails: z.string().nullable().optional(),
    /** Retries left, as in `POST /external-task/{id}/failure`: 0 raises an incident. */
    retries: z.number().int().min(0),
    retryTimeout: z.number().int().min(0).optional(),
  }),
  z.object({ status: z.literal('bpmnError'), taskId: z.string().optional(), errorCode: z.string().min(1), errorMessage: z.string().nullable().optional(), variables: variables.optional() }),
  z.object({ status: z.literal('extendLock'), taskId: z.string().optional(), newDuration: z.number().int().positive() }),
]);

export type WorkerReply = z.output<typeof workerReply>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads a JSON body with a schema; a problem names the field. */
export function parseJson<T>(schema: z.ZodType<T>, body: Buffer): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { ok: false, problem: `the body is not JSON (${(e as Error).message})` };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problem: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ') };
}

export function toOutcome(reply: z.output<typeof callReply>): PendingOutcome {
  switch (reply.status) {
    case 'complete':
      return { kind: 'result', output: reply.variables };
    case 'bpmnError':
      return {
        kind: 'bpmnError',
        errorCode: reply.errorCode,
        ...(reply.errorMessage !== undefined ? { errorMessage: reply.errorMessage } : {}),
        ...(reply.variables ? { variables: reply.variables } : {}),
      };
    case 'failure':
      return {
        kind: 'failure',
        message: reply.errorMessage,
        ...(reply.retries !== undefined ? { retries: reply.retries } : {}),
        ...(reply.retryDelayMs !== undefined ? { retryDelayMs: reply.retryDelayMs } : {}),
      };
  }
}
