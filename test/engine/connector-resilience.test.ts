import { describe, expect, it } from 'vitest';
import { backoff, Breakers, DEFAULT_RESILIENCE, policyFor } from '../../engine/connectors/resilience.js';
import { resolveSecrets, scrub } from '../../engine/connectors/secrets.js';

const policy = { ...DEFAULT_RESILIENCE, breakerFailures: 2, breakerResetMs: 1000 };

describe('connector resilience', () => {
  it('a circuit opens after the configured consecutive failures, lets one trial call through after the reset time, and closes on its success', () => {
    const b = new Breakers();
    b.enter('c', 't', policy, 0);
    b.failure('t', policy, 0);
    expect(b.state('t', 0)).toBe('closed');
    b.failure('t', policy, 10);
    expect(b.state('t', 10)).toBe('open');
    expect(() => b.enter('c', 't', policy, 500)).toThrow("Circuit open for 't' after 2 consecutive failures");
    expect(b.state('t', 1010)).toBe('half-open');
    b.enter('c', 't', policy, 1010);
    // Only one trial at a time.
    expect(() => b.enter('c', 't', policy, 1011)).toThrow('Circuit open');
    b.success('t');
    expect(b.state('t', 1012)).toBe('closed');
    b.enter('c', 't', policy, 1012);
  });

  it('a failed trial opens the circuit again for a full reset time', () => {
    const b = new Breakers();
    b.failure('t', policy, 0);
    b.failure('t', policy, 0);
    b.enter('c', 't', policy, 1000);
    b.failure('t', policy, 1000);
    expect(b.state('t', 1999)).toBe('open');
    expect(b.state('t', 2000)).toBe('half-open');
  });

  it('backoff doubles per attempt up to the cap, with full jitter', () => {
    const p = { ...DEFAULT_RESILIENCE, backoffMs: 100, maxBackoffMs: 350 };
    expect([1, 2, 3, 4].map((n) => backoff(p, n, () => 1))).toEqual([100, 200, 350, 350]);
    expect(backoff(p, 3, () => 0)).toBe(0);
  });

  it('camunda:properties override the defaults, in ms or ISO 8601, and a bad value names the property and the element', () => {
    expect(policyFor({ 'connector.timeout': 'PT2S', 'connector.retries': '4' }, DEFAULT_RESILIENCE, "serviceTask 'x'")).toMatchObject({ timeoutMs: 2000, retries: 4 });
    expect(() => policyFor({ 'connector.retries': 'many' }, DEFAULT_RESILIENCE, "serviceTask 'x'")).toThrow(
      "camunda:property 'connector.retries' of serviceTask 'x' is not a valid count: 'many'",
    );
  });

  it('secret references resolve anywhere in the input and the values are scrubbed from whatever comes back', () => {
    const used = new Set<string>();
    const input = resolveSecrets({ url: 'https://x/?k={{secrets.KEY}}', headers: { a: ['{{ secrets.KEY }}'] } }, (n) => (n === 'KEY' ? 'abc123' : undefined), 'here', used);
    expect(input).toEqual({ url: 'https://x/?k=abc123', headers: { a: ['abc123'] } });
    expect(scrub({ echoed: 'k=abc123', n: 1 }, used)).toEqual({ echoed: 'k=***', n: 1 });
  });
});
