/**
 * Delivering the answer to a pending connector call from outside the engine
 * (a broker reply, an RPA bot's callback). The answer can overtake the
 * commit of the command that made the call: a responder that replies at once
 * to a process instance that is still starting meets a token the store does
 * not know yet. So NOT_FOUND is tried again for a grace period — except for
 * tokens this process already completed, which are refused at once as
 * replays. The engine's single-use token stays the guard against a second
 * completion; this only decides how long to keep asking.
 */
import { setMaxListeners } from 'node:events';
import { NotFoundError, type Engine, type PendingOutcome } from '../engine/index.js';
import { sleep } from './sleep.js';

/** Stop signals already allowed any number of waiters. */
const unlimited = new WeakSet<AbortSignal>();

/** `completed`: this delivery completed the call. `replayed`: this process completed it before. `unknown`: no call waits for the token. */
export type AnswerResult = 'completed' | 'replayed' | 'unknown';

export interface PendingCallAnswersOptions {
  /** How long a token nobody waits for is asked about again, ms. Default 3 000. */
  graceMs?: number;
  /** How many completed tokens are remembered to refuse replays at once. Default 10 000. */
  remember?: number;
}

export class PendingCallAnswers {
  private readonly answered = new Map<string, true>();
  private readonly graceMs: number;
  private readonly remember: number;

  constructor(opts: PendingCallAnswersOptions = {}) {
    this.graceMs = opts.graceMs ?? 3_000;
    this.remember = opts.remember ?? 10_000;
  }

  /** Whether this process already completed the call of the token. */
  wasAnswered(token: string): boolean {
    return this.answered.has(token);
  }

  /**
   * Completes the call (resolving after the engine committed); errors other
   * than NOT_FOUND propagate, so the caller can let its transport redeliver.
   * The grace runs from `since` (default now; a broker passes the time the
   * reply was sent); `onNotYet` hears each attempt that found no call waiting
   * while the grace lasts. An aborted `signal` ends the waiting with `unknown`.
   */
  async deliver(
    engine: Engine,
    token: string,
    outcome: PendingOutcome,
    signal?: AbortSignal,
    opts: { since?: number; onNotYet?: () => void } = {},
  ): Promise<AnswerResult> {
    if (this.answered.has(token)) return 'replayed';
    const deadline = Math.min(opts.since ?? Date.now(), Date.now()) + this.graceMs;
    for (let wait = 25; ; wait = Math.min(250, wait * 2)) {
      try {
        await engine.completeConnectorCall(token, outcome);
        this.note(token);
        return 'completed';
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        if (this.answered.has(token)) return 'replayed';
        if (Date.now() >= deadline || signal?.aborted) return 'unknown';
      }
      opts.onNotYet?.();
      // Every reply waiting out its grace listens on the service's stop signal; under load that is many at once, not a leak.
      if (signal && !unlimited.has(signal)) {
        setMaxListeners(0, signal);
        unlimited.add(signal);
      }
      await sleep(Math.min(wait, Math.max(1, deadline - Date.now())), signal);
    }
  }

  private note(token: string): void {
    this.answered.set(token, true);
    if (this.answered.size > this.remember) this.answered.delete(this.answered.keys().next().value!);
  }
}
