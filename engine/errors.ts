/**
 * The engine's failure hierarchy. Every error has a stable `code` that the
 * gateway maps to GraphQL `extensions.code` and to Camunda's REST error JSON
 * (`{ type, message }`, where `type` is the class name Camunda would use).
 */

export type EngineErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'MODEL_INVALID'
  | 'EXPRESSION'
  | 'SCRIPT'
  | 'BPMN_ERROR'
  | 'INTERNAL';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** The exception class name Camunda 7 would report in REST error bodies. */
  readonly camundaType: string;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown; camundaType?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.camundaType = options?.camundaType ?? 'ProcessEngineException';
  }
}

/** Where a problem sits in a BPMN resource. */
export interface ModelProblem {
  /** `error` rejects the deployment; `warning` is reported and deployed. */
  severity: 'error' | 'warning';
  message: string;
  elementId?: string;
  resource?: string;
  line?: number;
  column?: number;
}

/** A deployment that failed validation; carries every problem found, not just the first. */
export class ModelError extends EngineError {
  readonly problems: readonly ModelProblem[];

  constructor(problems: readonly ModelProblem[], resource?: string) {
    const errors = problems.filter((p) => p.severity === 'error');
    super('MODEL_INVALID', `ENGINE-09005 Could not parse BPMN process. Errors: ${errors.map(formatProblem).join('; ')}`, {
      camundaType: 'ParseException',
    });
    this.problems = problems;
    if (resource !== undefined) this.resource = resource;
  }

  resource?: string;
}

export function formatProblem(p: ModelProblem): string {
  const where: string[] = [];
  if (p.resource) where.push(p.resource);
  if (p.elementId) where.push(`element '${p.elementId}'`);
  if (p.line !== undefined) where.push(`line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}`);
  return where.length ? `${p.message} (${where.join(', ')})` : p.message;
}

export class NotFoundError extends EngineError {
  constructor(message: string) {
    super('NOT_FOUND', message, { camundaType: 'NullValueException' });
  }
}

/** Optimistic-lock failure: somebody else committed first. Retrying the command is safe. */
export class ConflictError extends EngineError {
  constructor(message: string) {
    super('CONFLICT', message, { camundaType: 'OptimisticLockingException' });
  }
}

export class BadUserInputError extends EngineError {
  /** The offending input field or variable, e.g. `variables.amount`. */
  readonly field?: string;
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, { camundaType: 'InvalidRequestException' });
    if (field !== undefined) this.field = field;
  }
}

export class ForbiddenError extends EngineError {
  constructor(message: string) {
    super('FORBIDDEN', message, { camundaType: 'AuthorizationException' });
  }
}

/** An expression that failed to parse or evaluate; carries the expression text. */
export class ExpressionError extends EngineError {
  readonly expression: string;
  constructor(message: string, expression: string, options?: { cause?: unknown }) {
    super('EXPRESSION', message, { ...options, camundaType: 'ProcessEngineException' });
    this.expression = expression;
  }
}

export class ScriptError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SCRIPT', message, { ...options, camundaType: 'ScriptEvaluationException' });
  }
}

/**
 * A business error (BPMN error): catchable by error boundary events and error
 * event subprocesses. Thrown by handlers, scripts, connectors and external tasks.
 */
export class BpmnError extends EngineError {
  readonly errorCode: string;
  readonly errorMessage?: string;
  constructor(errorCode: string, errorMessage?: string) {
    super('BPMN_ERROR', errorMessage ? `${errorCode}: ${errorMessage}` : errorCode, { camundaType: 'BpmnError' });
    this.errorCode = errorCode;
    if (errorMessage !== undefined) this.errorMessage = errorMessage;
  }
}

/**
 * A connector's technical failure. Retry behaviour travels on the error:
 * `retryable` (default true) lets resilience retries and job retries try
 * again; `nextRetryDelayMs` overrides the backoff for the next attempt.
 */
export class ConnectorError extends EngineError {
  readonly connectorId: string;
  readonly retryable: boolean;
  readonly nextRetryDelayMs?: number;
  constructor(connectorId: string, message: string, options?: { cause?: unknown; retryable?: boolean; nextRetryDelayMs?: number }) {
    super('INTERNAL', message, { cause: options?.cause, camundaType: 'ConnectorException' });
    this.connectorId = connectorId;
    this.retryable = options?.retryable ?? true;
    if (options?.nextRetryDelayMs !== undefined) this.nextRetryDelayMs = options.nextRetryDelayMs;
  }
}
