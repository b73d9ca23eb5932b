import { expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, packEnvelopes, parseEnvelope } from '../../engine/persistence/event-bus.js';
import { channelFor } from '../../engine/persistence/postgres-event-bus.js';

it('packs messages into notifications below PostgreSQL’s payload limit, in order, each with its own sequence number', () => {
  let seq = 0;
  const messages = Array.from({ length: 200 }, (_, i) => ({ type: 'activity.started', instanceId: `instance-${i}`, activityId: 'a'.repeat(40) }));
  const payloads = packEnvelopes('node-1', () => ++seq, messages);
  expect(payloads.length).toBeGreaterThan(1);
  for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(MAX_PAYLOAD_BYTES);
  const envelopes = payloads.map((p) => parseEnvelope(p)!);
  expect(envelopes.map((e) => e.s)).toEqual(envelopes.map((_, i) => i + 1));
  expect(envelopes.every((e) => e.n === 'node-1')).toBe(true);
  expect(envelopes.flatMap((e) => e.m)).toEqual(messages);
});

it('drops a message too large for any notification and reports it, keeping the others', () => {
  const dropped: unknown[] = [];
  const huge = { type: 'variable.created', value: 'x'.repeat(MAX_PAYLOAD_BYTES) };
  const payloads = packEnvelopes('n', () => 1, [{ type: 'a' }, huge, { type: 'b' }], MAX_PAYLOAD_BYTES, (m) => dropped.push(m));
  expect(dropped).toEqual([huge]);
  expect(payloads.flatMap((p) => parseEnvelope(p)!.m)).toEqual([{ type: 'a' }, { type: 'b' }]);
});

it('names one channel per schema, within PostgreSQL’s identifier length', () => {
  expect(channelFor('public')).toBe('cf_events_public');
  const long = channelFor('s'.repeat(63));
  expect(long.length).toBeLessThanOrEqual(63);
  expect(long).not.toBe(channelFor('t'.repeat(63)));
  expect(parseEnvelope('not json')).toBeNull();
});
