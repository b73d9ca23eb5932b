/**
 * What the engine asks of a connector. Service tasks with `camunda:connector`
 * (and send tasks, message throw and end events) call the connector named by
 * `camunda:connectorId` with the values of the connector's input parameters;
 * its output parameters are evaluated against what it returns. The public
 * SDK (plugins/) builds these from `defineConnector`; the engine knows only
 * this contract.
 */

export interface ConnectorLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** One invocation of a connector by an activity. */
export interface ConnectorCall {
  readonly connectorId: string;
  /** Input parameter values, secrets resolved. */
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * The same for every attempt of this activity's call: resilience retries,
   * job retries after a crash or a failure, and re-invocations after a pending
   * call failed. Send it to targets that deduplicate (the http connector sends
   * it as `Idempotency-Key`).
   */
  readonly idempotencyKey: string;
  /** 1 for the first attempt of this invocation, counting resilience retries. */
  readonly attempt: number;
  /** Aborted on timeout, on engine shutdown, or when the circuit opens. */
  readonly signal: AbortSignal;
  /**
   * The token that completes this call later when it answers `pending`
   * (request/reply over Kafka or AMQP, RPA callbacks, asynchronous SOAP).
   */
  readonly correlationToken: string;
  /** Restarts the timeout: long calls that still make progress report it. */
  heartbeat(): void;
  /** A secret by name from the engine's source; its value is scrubbed from the result and errors like `{{secrets.…}}`. */
  secret(name: string): string | undefined;
  readonly logger: ConnectorLogger;
  /** `camunda:properties` of the activity. */
  readonly properties: Readonly<Record<string, string>>;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly activityId: string;
  readonly activityInstanceId: string;
}

/** What happens when a pending call gets no answer in time. */
export type PendingTimeout =
  | { readonly kind: 'bpmnError'; readonly errorCode: string; readonly errorMessage?: string }
  | { readonly kind: 'incident'; readonly message?: string };

export type ConnectorResult =
  /** Done: the output is what the output parameters are evaluated against. */
  | { readonly kind: 'result'; readonly output: Readonly<Record<string, unknown>> }
  /** The activity waits until `engine.completeConnectorCall(correlationToken, …)`. */
  | { readonly kind: 'pending'; readonly timeoutMs?: number; readonly onTimeout?: PendingTimeout };

export interface EngineConnector {
  readonly id: string;
  readonly version?: string;
  /**
   * Deploy-time check of an activity's connector input: `input` holds the
   * parameters whose values are static text, `dynamic` the names of those
   * computed at run time. Returns problems, each naming the field.
   */
  validateStatic?(input: Readonly<Record<string, unknown>>, dynamic: ReadonlySet<string>): string[];
  /** The circuit breaker's target for this input (e.g. a URL's origin); default the connector id. */
  target?(input: Readonly<Record<string, unknown>>): string | null;
  invoke(call: ConnectorCall): Promise<ConnectorResult>;
}

/** How the outcome of a pending call arrives. */
export type PendingOutcome =
  | { readonly kind: 'result'; readonly output: Readonly<Record<string, unknown>> }
  | { readonly kind: 'bpmnError'; readonly errorCode: string; readonly errorMessage?: string; readonly variables?: Readonly<Record<string, unknown>> }
  /** A technical failure: the call is made again by a job (retries, then an incident). */
  | { readonly kind: 'failure'; readonly message: string; readonly retries?: number; readonly retryDelayMs?: number };
