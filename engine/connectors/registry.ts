/**
 * The connectors an engine knows, with the engine-wide resilience defaults,
 * circuit breakers and secret source every call shares.
 */
import { setMaxListeners } from 'node:events';
import type { ConnectorLogger, EngineConnector } from './contract.js';
import { Breakers, DEFAULT_RESILIENCE, type ResiliencePolicy } from './resilience.js';
import type { SecretSource } from './secrets.js';

export interface ConnectorServices {
  get(id: string): EngineConnector | undefined;
  readonly policy: ResiliencePolicy;
  readonly breakers: Breakers;
  readonly secrets: SecretSource;
  readonly logger: ConnectorLogger;
  /** Aborted when the engine closes: calls in flight stop. */
  readonly shutdown: AbortSignal;
}

export const SILENT_LOGGER: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export class ConnectorRegistry implements ConnectorServices {
  private readonly byId = new Map<string, EngineConnector>();
  readonly breakers = new Breakers();
  readonly policy: ResiliencePolicy;
  private readonly closing = new AbortController();

  constructor(
    connectors: readonly EngineConnector[],
    policy: Partial<ResiliencePolicy>,
    readonly secrets: SecretSource,
    readonly logger: ConnectorLogger,
  ) {
    this.policy = { ...DEFAULT_RESILIENCE, ...policy };
    // Every call in flight listens for shutdown; more than Node's default 10 at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    for (const c of connectors) this.register(c);
  }

  /** A second connector with an id already taken is refused: models would silently change meaning. */
  register(c: EngineConnector): void {
    if (this.byId.has(c.id)) throw new Error(`A connector with id '${c.id}' is already registered`);
    this.byId.set(c.id, c);
  }

  get(id: string): EngineConnector | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get shutdown(): AbortSignal {
    return this.closing.signal;
  }

  close(): void {
    this.closing.abort(new Error('The engine is shutting down'));
  }
}
