/**
 * Resilience around one connector invocation: a timeout (restarted by
 * heartbeats), retries of retryable failures with exponential backoff and full
 * jitter, and a circuit breaker per target that fails fast while a target is
 * known to be down. Configured per activity through `camunda:properties`
 * (`connector.timeout`, `connector.retries`, `connector.backoff`,
 * `connector.maxBackoff`, `connector.breaker.failures`, `connector.breaker.reset`)
 * over engine-wide defaults.
 */
import { BpmnError, ConnectorError, ModelError } from '../errors.js';
import { addDuration, parseDuration } from '../jobs/timer.js';

export interface ResiliencePolicy {
  /** Per attempt, ms; 0 = none. Default 30 000. */
  timeoutMs: number;
  /** Extra attempts after a retryable failure, default 2. */
  retries: number;
  /** First backoff, ms (doubled per attempt, full jitter), default 200. */
  backoffMs: number;
  /** Largest backoff, ms, default 10 000. */
  maxBackoffMs: number;
  /** Consecutive failures that open the circuit of a target, default 5; 0 = no breaker. */
  breakerFailures: number;
  /** How long an open circuit fails fast before one trial call, ms, default 30 000. */
  breakerResetMs: number;
}

export const DEFAULT_RESILIENCE: ResiliencePolicy = {
  timeoutMs: 30_000,
  retries: 2,
  backoffMs: 200,
  maxBackoffMs: 10_000,
  breakerFailures: 5,
  breakerResetMs: 30_000,
};

const PROPERTY_KEYS: Record<string, keyof ResiliencePolicy> = {
  'connector.timeout': 'timeoutMs',
  'connector.retries': 'retries',
  'connector.backoff': 'backoffMs',
  'connector.maxBackoff': 'maxBackoffMs',
  'connector.breaker.failures': 'breakerFailures',
  'connector.breaker.reset': 'breakerResetMs',
};

const COUNTS = new Set<keyof ResiliencePolicy>(['retries', 'breakerFailures']);

/** Reads the policy of an activity; an unreadable property fails naming the property. */
export function policyFor(properties: Readonly<Record<string, string>>, defaults: ResiliencePolicy, where: string): ResiliencePolicy {
  const out = { ...defaults };
  for (const [prop, key] of Object.entries(PROPERTY_KEYS)) {
    const raw = properties[prop];
    if (raw === undefined) continue;
    const value = COUNTS.has(key) ? Number(raw) : toMillis(raw);
    if (!Number.isFinite(value) || value < 0 || (COUNTS.has(key) && !Number.isInteger(value))) {
      throw new ModelError([{ severity: 'error', message: `camunda:property '${prop}' of ${where} is not a valid ${COUNTS.has(key) ? 'count' : 'duration (ms or ISO 8601)'}: '${raw}'` }]);
    }
    out[key] = value;
  }
  return out;
}

/** Milliseconds from a number of ms or an ISO 8601 duration (`PT5S`). */
export function toMillis(raw: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const d = parseDuration(text);
  return d ? addDuration(new Date(0), d).getTime() : Number.NaN;
}

type BreakerState = { failures: number; openUntil: number; trial: boolean };

/** Circuit breakers by target, shared by every call of an engine. */
export class Breakers {
  private readonly states = new Map<string, BreakerState>();

  /** Throws a retryable ConnectorError while the circuit is open; the first call after the reset time is the trial. */
  enter(connectorId: string, target: string, policy: ResiliencePolicy, now: number): void {
    if (policy.breakerFailures === 0) return;
    const s = this.states.get(target);
    if (!s || s.openUntil === 0) return;
    if (now < s.openUntil || s.trial) {
      throw new ConnectorError(connectorId, `Circuit open for '${target}' after ${s.failures} consecutive failures; not calling it until ${new Date(s.openUntil).toISOString()}`, {
        nextRetryDelayMs: Math.max(0, s.openUntil - now),
      });
    }
    s.trial = true;
  }

  success(target: string): void {
    this.states.delete(target);
  }

  failure(target: string, policy: ResiliencePolicy, now: number): void {
    if (policy.breakerFailures === 0) return;
    const s = this.states.get(target) ?? { failures: 0, openUntil: 0, trial: false };
    s.failures++;
    if (s.trial || s.failures >= policy.breakerFailures) s.openUntil = now + policy.breakerResetMs;
    s.trial = false;
    this.states.set(target, s);
  }

  /** For operators and tests: `open` while failing fast. */
  state(target: string, now: number): 'closed' | 'open' | 'half-open' {
    const s = this.states.get(target);
    if (!s || s.openUntil === 0) return 'closed';
    return now < s.openUntil ? 'open' : 'half-open';
  }
}

/** Exponential backoff with full jitter (AWS's "full jitter"): uniform in [0, min(max, base·2^n)]. */
export function backoff(policy: ResiliencePolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

/** Whether a failure may be tried again: BPMN errors and non-retryable connector errors may not. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof BpmnError) return false;
  if (e instanceof ConnectorError) return e.retryable;
  if (e instanceof ModelError) return false;
  return true;
}
