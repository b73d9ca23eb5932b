/**
 * `defineConnector`: how an integrator writes a connector. The input is
 * described by a zod schema — checked at deployment where the model gives
 * static values, and always at run time — and `execute` gets everything a
 * call needs on its context: an AbortSignal, a logger, secrets, an
 * idempotency key stable across retries, a heartbeat, and `pending()` for
 * calls answered later.
 */
import { z } from 'zod';
import { BpmnError, ConnectorError, type ConnectorCall, type ConnectorLogger, type ConnectorResult, type EngineConnector, type PendingTimeout } from '../engine/index.js';

export { BpmnError, ConnectorError };

export interface ConnectorContext {
  readonly signal: AbortSignal;
  readonly logger: ConnectorLogger;
  /** A secret by name (the same source as `{{secrets.NAME}}`); its value is scrubbed from results and errors. */
  secret(name: string): string | undefined;
  /** Stable across every retry of this activity's call: send it to targets that deduplicate. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  /** Restarts the call's timeout. */
  heartbeat(): void;
  /** The token that completes a pending call (`engine.completeConnectorCall`). */
  readonly correlationToken: string;
  /** Answer "pending": the activity waits for its correlation token. */
  pending(options?: { timeoutMs?: number; onTimeout?: PendingTimeout }): PendingMarker;
  /** `camunda:properties` of the activity. */
  readonly properties: Readonly<Record<string, string>>;
  readonly processInstanceId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly activityId: string;
  readonly activityInstanceId: string;
}

const PENDING = Symbol('cadenzaflow.pending');

export interface PendingMarker {
  readonly [PENDING]: true;
  readonly timeoutMs?: number;
  readonly onTimeout?: PendingTimeout;
}

export interface ConnectorDefinition<I extends z.ZodType = z.ZodType, O extends Record<string, unknown> = Record<string, unknown>> {
  /** The `camunda:connectorId` models use. */
  id: string;
  /** Semver of the connector; shown in element templates. */
  version: string;
  name?: string;
  description?: string;
  /** The connector's input parameters, as a zod object schema. */
  input: I;
  /** The result's shape (documentation and templates; not enforced). */
  output?: z.ZodType<O>;
  /**
   * Runs one call. Return the result (its fields are what output parameters
   * read), `ctx.pending()`, or throw `BpmnError` (caught by boundary events) or
   * `ConnectorError` (retryable unless `retryable: false`, with `nextRetryDelayMs`).
   */
  execute(input: z.output<I>, ctx: ConnectorContext): Promise<O | PendingMarker> | O | PendingMarker;
  /** The circuit breaker's target for this input, e.g. the URL's origin. Default: the connector id. */
  target?(input: z.output<I>): string | null;
}

/** Declares a connector; `toEngineConnector` hands it to the engine (the plugin loader does that). */
export function defineConnector<I extends z.ZodType, O extends Record<string, unknown>>(def: ConnectorDefinition<I, O>): ConnectorDefinition<I, O> {
  if (!/^[A-Za-z][\w.-]*$/.test(def.id)) throw new Error(`Connector id '${def.id}' must start with a letter and contain only letters, digits, '.', '_' and '-'`);
  if (!(def.input instanceof z.ZodType)) throw new Error(`Connector '${def.id}': input must be a zod schema`);
  return def;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(input)';
  return `input '${path}': ${issue.message}`;
}

/** The fields of an object schema, or null for other schemas. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : null;
}

export function toEngineConnector(def: ConnectorDefinition): EngineConnector {
  return {
    id: def.id,
    version: def.version,
    validateStatic(input, dynamic) {
      const shape = shapeOf(def.input);
      if (!shape) return [];
      const problems: string[] = [];
      for (const [name, field] of Object.entries(shape)) {
        if (dynamic.has(name)) continue;
        const r = field.safeParse(input[name]);
        if (!r.success) problems.push(...r.error.issues.map((i) => describeIssue({ ...i, path: [name, ...i.path] })));
      }
      const unknownKeys = Object.keys(input).concat([...dynamic]).filter((k) => !(k in shape));
      if (def.input instanceof z.ZodObject && unknownKeys.length && def.input.def.catchall === undefined) {
        // zod objects strip unknown keys; a misspelt parameter would silently do nothing, so say so.
        problems.push(`unknown input parameter${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `'${k}'`).join(', ')} (known: ${Object.keys(shape).join(', ')})`);
      }
      return problems;
    },
    target(input) {
      if (!def.target) return null;
      const r = def.input.safeParse(input);
      return r.success ? def.target(r.data) : null;
    },
    async invoke(call: ConnectorCall): Promise<ConnectorResult> {
      const parsed = def.input.safeParse(call.input);
      if (!parsed.success) {
        throw new ConnectorError(def.id, `Connector '${def.id}' of activity '${call.activityId}' got invalid input: ${parsed.error.issues.map(describeIssue).join('; ')}`, { retryable: false });
      }
      const ctx: ConnectorContext = {
        signal: call.signal,
        logger: call.logger,
        secret: (name) => call.secret(name),
        idempotencyKey: call.idempotencyKey,
        attempt: call.attempt,
        heartbeat: () => call.heartbeat(),
        correlationToken: call.correlationToken,
        pending: (options = {}) => ({ [PENDING]: true, ...options }),
        properties: call.properties,
        processInstanceId: call.processInstanceId,
        processDefinitionKey: call.processDefinitionKey,
        businessKey: call.businessKey,
        tenantId: call.tenantId,
        activityId: call.activityId,
        activityInstanceId: call.activityInstanceId,
      };
      const out = await def.execute(parsed.data, ctx);
      if (out !== null && typeof out === 'object' && PENDING in out) {
        const m = out as PendingMarker;
        return { kind: 'pending', ...(m.timeoutMs !== undefined ? { timeoutMs: m.timeoutMs } : {}), ...(m.onTimeout ? { onTimeout: m.onTimeout } : {}) };
      }
      if (out === null || typeof out !== 'object' || Array.isArray(out)) {
        throw new ConnectorError(def.id, `Connector '${def.id}' returned ${Array.isArray(out) ? 'an array' : String(out)}; a result must be an object of named values`, { retryable: false });
      }
      return { kind: 'result', output: out };
    },
  };
}
