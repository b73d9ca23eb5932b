/**
 * Camunda's REST error bodies: `{ type, message, code }`, where `type` is the
 * simple class name of the Java exception Camunda would throw and `code` the
 * engine's exception code (0, or 1 for optimistic locking) — null for errors
 * the REST layer raises itself. A ParseException adds `details` per resource.
 *
 * Status mapping as Camunda's ExceptionHandlerHelper: AuthorizationException
 * 403; BadUserRequestException and ParseException 400; every other engine
 * exception 500; REST exceptions carry their own status.
 */
import { EngineError, ModelError, type ModelProblem } from '../../engine/index.js';

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code: number | null = null,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

/** Camunda's `InvalidRequestException`: a REST-level error with an explicit status. */
export function invalidRequest(status: number, message: string, cause?: unknown): RestError {
  return new RestError(status, 'InvalidRequestException', message, codeOf(cause));
}

/** Camunda's `RestException`: usually an engine error wrapped with context. */
export function restException(status: number, message: string, cause?: unknown): RestError {
  return new RestError(status, 'RestException', message, codeOf(cause));
}

/** Camunda's error for a conversion failure of a query parameter or body field. */
export function badParameter(name: string, value: unknown, reason?: string): RestError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return invalidRequest(400, `Cannot set query parameter '${name}' to value '${shown}'${reason ? `: ${reason}` : ''}`);
}

/** A filter or option Camunda has that this engine cannot answer yet: refused rather than ignored. */
export function unsupported(what: string): RestError {
  return invalidRequest(400, `${what} is not supported by CadenzaFlow yet`);
}

const BAD_REQUEST_TYPES = new Set(['InvalidRequestException', 'BadUserRequestException', 'NotValidException', 'ParseException']);

function isOptimisticLock(e: EngineError): boolean {
  return e.camundaType === 'OptimisticLockingException';
}

/** The engine exception code Camunda reports: 1 for optimistic locking, 0 otherwise. */
export function codeOf(cause: unknown): number | null {
  if (cause instanceof RestError) return cause.code;
  if (cause instanceof EngineError) return isOptimisticLock(cause) ? 1 : 0;
  return null;
}

/** The status Camunda answers an engine exception with. */
export function statusOf(e: EngineError): number {
  if (e.code === 'FORBIDDEN' || e.camundaType === 'AuthorizationException') return 403;
  if (e.code === 'MODEL_INVALID' || BAD_REQUEST_TYPES.has(e.camundaType)) return 400;
  return 500;
}

/**
 * Camunda's "Cannot complete task x: <cause>" pattern: REST errors keep their
 * status as InvalidRequestException, engine errors become RestException with
 * the engine's status; authorization failures pass through unchanged.
 */
export async function withContext<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw contextualize(prefix, e);
  }
}

export function contextualize(prefix: string, e: unknown): unknown {
  if (e instanceof RestError) return invalidRequest(e.status, `${prefix}: ${e.message}`, e);
  if (e instanceof EngineError) {
    if (statusOf(e) === 403) return e;
    return restException(statusOf(e), `${prefix}: ${e.message}`, e);
  }
  return e;
}

/** Runs `fn`; an engine NOT_FOUND becomes Camunda's 404 with the given message. */
export async function notFoundAs<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EngineError && e.code === 'NOT_FOUND') throw invalidRequest(404, message, e);
    throw e;
  }
}

interface ProblemDto {
  message: string;
  line: number;
  column: number;
  mainElementId: string | null;
  elementIds: string[];
}

function problemDto(p: ModelProblem): ProblemDto {
  return {
    message: p.message,
    line: p.line ?? 0,
    column: p.column ?? 0,
    mainElementId: p.elementId ?? null,
    elementIds: p.elementId ? [p.elementId] : [],
  };
}

/** Camunda's ParseExceptionDto details: per resource, its errors and warnings. */
function parseDetails(e: ModelError): Record<string, { errors: ProblemDto[]; warnings: ProblemDto[] }> {
  const details: Record<string, { errors: ProblemDto[]; warnings: ProblemDto[] }> = {};
  for (const p of e.problems) {
    const resource = p.resource ?? e.resource ?? 'unknown';
    const report = (details[resource] ??= { errors: [], warnings: [] });
    (p.severity === 'error' ? report.errors : report.warnings).push(problemDto(p));
  }
  return details;
}

export interface ErrorResponse {
  status: number;
  body: { type: string; message: string; code: number | null; details?: unknown };
}

export function errorResponse(e: unknown): ErrorResponse {
  if (e instanceof RestError) {
    const body: ErrorResponse['body'] = { type: e.type, message: e.message, code: e.code };
    if (e.details !== undefined) body.details = e.details;
    return { status: e.status, body };
  }
  if (e instanceof ModelError) {
    return { status: 400, body: { type: 'ParseException', message: e.message, code: 0, details: parseDetails(e) } };
  }
  if (e instanceof EngineError) {
    return { status: statusOf(e), body: { type: e.camundaType, message: e.message, code: codeOf(e) } };
  }
  // Anything else is a bug or an infrastructure failure (database down): Camunda's 500.
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { type: 'ProcessEngineException', message, code: 0 } };
}
