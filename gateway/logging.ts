/**
 * Structured logs: one JSON object per line (pino). Requests at info (health
 * and metrics probes at debug), the engine's domain events at debug, job
 * failures and incidents at warn. Secrets are redacted wherever they appear in
 * a logged object, and variable values are never logged: events are logged
 * field by field, with variable names only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphqlObserver } from './graphql/index.js';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { EngineError, type DomainEvent, type Engine } from '../engine/index.js';

export type { Logger } from 'pino';

export type LogLevel = Level | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Keys whose values are secrets, wherever they sit in a logged object (up to three levels deep). */
const SECRET_KEYS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'apiKey', 'api_key', 'password', 'passwd', 'secret', 'clientSecret', 'client_secret', 'token', 'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'idToken', 'id_token'];

const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`);

export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((k) => [key(k).replace(/^\./, ''), `*${key(k)}`, `*.*${key(k)}`, `*.*.*${key(k)}`]),
  // A variable map logged by anyone keeps its names and loses its values.
  'variables.*',
  '*.variables.*',
];

export interface LoggerOptions {
  /** Default `info`; `LOG_LEVEL` in the CLI. */
  level?: LogLevel;
  /** Where lines go. Default stdout. */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: { service: 'cadenzaflow' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** Probes that would drown real traffic at info. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

const requestLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger of request lines: `logger` without redaction. A request line has
 * only the keys logRequest writes, none of them a secret's, and pino's
 * redaction (wildcard paths, matched against every key of a line) costs more
 * than the rest of a small request.
 */
function requestLogger(logger: Logger): Logger {
  let plain = requestLoggers.get(logger);
  if (!plain) requestLoggers.set(logger, (plain = logger.child({}, { redact: [] })));
  return plain;
}

/**
 * Logs the request once its response is finished (or the client went away).
 * The query string is left out: it may carry tokens or variable filters.
 */
export function logRequest(parent: Logger, req: IncomingMessage, res: ServerResponse): void {
  const logger = requestLogger(parent);
  const started = process.hrtime.bigint();
  const path = (req.url ?? '/').split('?')[0]!;
  let done = false;
  const log = (aborted: boolean): void => {
    if (done) return;
    done = true;
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    const entry = { method: req.method, path, status: res.statusCode, durationMs, ...(aborted ? { aborted: true } : {}) };
    if (res.statusCode >= 500) logger.error(entry, 'request failed');
    else if (QUIET_PATHS.has(path)) logger.debug(entry, 'request');
    else logger.info(entry, 'request');
  };
  res.once('finish', () => log(false));
  res.once('close', () => log(!res.writableFinished));
}

/** What a domain event says, without variable values. */
function describe(e: DomainEvent): Record<string, unknown> {
  const ref = { event: e.type, instanceId: e.instanceId, definitionKey: e.definitionKey };
  switch (e.type) {
    case 'activity.started':
    case 'activity.ended':
      return { ...ref, activityId: e.activityId, activityType: e.activityType, activityInstanceId: e.activityInstanceId, ...(e.type === 'activity.ended' && e.canceled ? { canceled: true } : {}) };
    case 'task.created':
    case 'task.assigned':
    case 'task.completed':
    case 'task.deleted':
      return { ...ref, taskId: e.taskId, taskDefinitionKey: e.taskDefinitionKey, assignee: e.assignee };
    case 'variable.created':
    case 'variable.updated':
    case 'variable.deleted':
      return { ...ref, executionId: e.executionId, ...(e.taskId ? { taskId: e.taskId } : {}), variable: e.name };
    case 'job.executed':
    case 'job.failed':
      return { ...ref, jobId: e.jobId, jobType: e.jobType, activityId: e.activityId };
    case 'incident.created':
    case 'incident.resolved':
    case 'incident.deleted':
      return { ...ref, incidentId: e.incidentId, incidentType: e.incidentType, activityId: e.activityId, configuration: e.configuration };
    case 'instance.ended':
      return { ...ref, state: e.state };
    default:
      return ref;
  }
}

/**
 * Logs the engine's committed domain events: everything at debug, job
 * failures and opened incidents at warn. Returns the unsubscribe.
 */
export function logEngineEvents(engine: Engine, logger: Logger): () => void {
  return engine.subscribe((e) => {
    if (e.type === 'job.failed') logger.warn({ ...describe(e), retries: e.retries, error: e.message }, `job ${e.jobId} failed, ${e.retries} retries left`);
    else if (e.type === 'incident.created') logger.warn({ ...describe(e), error: e.message }, `incident ${e.incidentId} (${e.incidentType}) opened at ${e.activityId ?? 'the process'}`);
    else if (logger.isLevelEnabled('debug')) logger.debug(describe(e), e.type);
  });
}

/**
 * Logs GraphQL errors that are answered as INTERNAL (a bug, the database
 * gone) at error with their stack: the client sees no detail, the operator
 * must. Request errors (parse, validation) and engine errors with a code of
 * their own (NOT_FOUND, FORBIDDEN, …) are the caller's business and not logged.
 */
export function graphqlErrorLogger(logger: Logger): GraphqlObserver {
  return (request) => {
    for (const error of request.errors) {
      let original: unknown = error.originalError;
      if (original === undefined) continue;
      // GraphQL wraps what a resolver threw; the wrapped value tells whether it was an engine error.
      while (original instanceof Error && 'originalError' in original && original.originalError instanceof Error) original = original.originalError;
      if (original instanceof EngineError && original.code !== 'INTERNAL') continue;
      logger.error({ err: original, operationName: request.operationName, path: error.path?.join('.') ?? null }, 'graphql: internal error');
    }
  };
}
