import { expect, it } from 'vitest';
import type { DomainEvent, DomainEventListener, Engine } from '../../engine/index.js';
import { MAX_BUFFERED_EVENTS, Topics } from '../../schema/topics.js';

/** Just the engine's subscribe, so the test can publish events itself. */
function fakeEngine() {
  const listeners = new Set<DomainEventListener>();
  const engine = {
    subscribe(l: DomainEventListener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as Engine;
  return { engine, listeners, publish: (e: DomainEvent) => listeners.forEach((l) => l(e)) };
}

const ref = { instanceId: 'pi-1', definitionId: 'd:1:x', definitionKey: 'd', businessKey: 'A-1', tenantId: null, time: new Date(0) };
const taskCreated = (taskId: string, groups: string[]): DomainEvent => ({
  type: 'task.created', taskId, taskDefinitionKey: 'approve', name: 'Approve', assignee: null, candidateUsers: [], candidateGroups: groups, ...ref,
});

it('listens to the engine only while a subscription is open, so idle nodes build no domain events', async () => {
  const { engine, listeners } = fakeEngine();
  const topics = new Topics(engine);
  expect(listeners.size).toBe(0);
  const a = topics.taskEvents({});
  const b = topics.taskEvents({ candidateGroup: 'sales' });
  expect(listeners.size).toBe(1);
  await a.return!();
  expect(listeners.size).toBe(1);
  await b.return!();
  expect(listeners.size).toBe(0);
  expect(topics.size).toBe(0);
});

it('filters task events by candidate group and delivers them in order', async () => {
  const { engine, publish } = fakeEngine();
  const topics = new Topics(engine);
  const management = topics.taskEvents({ candidateGroup: 'management' });
  publish(taskCreated('t1', ['sales']));
  publish(taskCreated('t2', ['management']));
  publish(taskCreated('t3', ['management', 'sales']));
  expect((await management.next()).value).toMatchObject({ kind: 'CREATED', taskId: 't2' });
  expect((await management.next()).value).toMatchObject({ kind: 'CREATED', taskId: 't3' });
  topics.close();
  expect(await management.next()).toEqual({ value: undefined, done: true });
});

it('ends a subscriber that falls more than MAX_BUFFERED_EVENTS behind with an error', async () => {
  const { engine, publish, listeners } = fakeEngine();
  const topics = new Topics(engine);
  const slow = topics.taskEvents({});
  for (let i = 0; i <= MAX_BUFFERED_EVENTS; i++) publish(taskCreated(`t${i}`, []));
  expect(listeners.size).toBe(0);
  await expect(slow.next()).rejects.toThrow(/Subscription dropped/);
});

it('refuses instanceChanged without a filter as BAD_USER_INPUT', () => {
  const topics = new Topics(fakeEngine().engine);
  expect(() => topics.instanceChanges({})).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'id' }));
});
