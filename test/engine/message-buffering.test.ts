import { beforeAll, expect, it } from 'vitest';
import { ConflictError } from '../../engine/index.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, openStore } from '../helpers/engine-harness.js';

const clock = new TestClock();
const MINUTE = 60_000;
let counter = 0;
/** A business key no other test uses: the suite's engines share one database. */
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

engineSuite(
  'message buffering',
  (h) => {
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId }, {}, [{ by: 'taskDefinitionKey' }])).map((t) => t.taskDefinitionKey);
    const completeTask = async (instanceId: string, key: string) => {
      const task = (await h.engine().findTasks({ instanceId })).find((t) => t.taskDefinitionKey === key);
      await h.engine().completeTask(task!.id);
    };

    beforeAll(async () => {
      await h.deploy('MessageBuffer.catch.bpmn', 'MessageBuffer.gateway.bpmn');
    });

    it("without the engine option nothing is buffered: a message that matches nothing fails as in Camunda, and a time to live is refused", async () => {
      const camunda = await h.secondEngine({ messageBuffering: undefined });
      await expect(camunda.correlateMessage({ messageName: 'bufPayment', businessKey: unique('off') })).rejects.toThrow(
        "Cannot correlate message 'bufPayment': No process definition or execution matches the parameters",
      );
      await expect(camunda.publishMessage({ messageName: 'bufPayment', timeToLive: 'PT1M' })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('message buffering is not enabled on this engine'),
      });
      expect(await camunda.findBufferedMessages({ messageName: 'bufPayment' })).toEqual([]);
    });

    it('a message that matches nothing is buffered for its time to live and reaches the catch event the instance opens later, across a restart', async () => {
      const bk = unique('later');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedCatch', businessKey: bk });
      const published = await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, processVariables: { paid: 99.5 }, timeToLive: 'PT10M' });
      expect(published.results).toEqual([]);
      expect(published.buffered).toMatchObject({
        messageName: 'bufPayment',
        businessKey: bk,
        variables: { paid: { type: 'Double', value: 99.5 } },
        expiresAt: new Date(clock.now().getTime() + 10 * MINUTE),
      });
      await h.restart();
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toHaveLength(1);
      await completeTask(pi.id, 'prepare');
      expect(await taskKeys(pi.id)).toEqual(['ship']);
      expect((await h.engine().getVariables(pi.id))['paid']).toEqual({ type: 'Double', value: 99.5 });
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toEqual([]);
      expect(await h.engine().findEventSubscriptions({ instanceId: pi.id, type: 'message', activityId: 'waitPayment' })).toEqual([]);
    });

    it('a buffered message is consumed exactly once: the next instance that waits for it keeps waiting', async () => {
      const bk = unique('once');
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, timeToLive: 'PT10M' });
      const first = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
      const second = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
      expect(await taskKeys(first.id)).toEqual(['directShip']);
      expect(await taskKeys(second.id)).toEqual([]);
      expect(await h.engine().findEventSubscriptions({ instanceId: second.id, type: 'message' })).toHaveLength(1);
      // A new message goes to the waiting instance as usual.
      const [result] = await h.engine().correlateMessage({ messageName: 'bufPayment', businessKey: bk });
      expect(result).toMatchObject({ resultType: 'Execution', processInstanceId: second.id });
    });

    it('two nodes racing for one buffered message: only one instance receives it', async () => {
      const bk = unique('race');
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, timeToLive: 'PT10M' });
      const other = await h.secondEngine();
      const outcomes = await Promise.allSettled([
        h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk }),
        other.startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk }),
      ]);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConflictError);
      const started = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
      const shipped = (await Promise.all(started.map(taskKeys))).filter((keys) => keys.includes('directShip'));
      expect(shipped).toHaveLength(1);
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toEqual([]);
    });

    it('a message buffered after a new subscription looked at the buffer, but before it committed, still reaches it', async () => {
      const bk = unique('missed');
      const store = await openStore(h.storeConfig());
      let publishMidway = true;
      // The node starting the instance sees the buffer empty; the message is buffered right after that look.
      const watched = new Proxy(store, {
        get(target, property, receiver) {
          if (property !== 'findBufferedMessages') return Reflect.get(target, property, receiver) as unknown;
          return async (...args: Parameters<typeof store.findBufferedMessages>) => {
            const rows = await target.findBufferedMessages(...args);
            if (publishMidway) {
              publishMidway = false;
              const published = await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, timeToLive: 'PT10M' });
              expect(published.buffered).not.toBeNull();
            }
            return rows;
          };
        },
      });
      try {
        const node = await h.secondEngine({ store: watched });
        const pi = await node.startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
        expect(publishMidway).toBe(false);
        expect(await taskKeys(pi.id)).toEqual(['directShip']);
        expect(await h.engine().findBufferedMessages({ businessKey: bk })).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('an expired message is never delivered and is dropped', async () => {
      const bk = unique('expired');
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, timeToLive: 60_000 });
      clock.advance(MINUTE);
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
      expect(await taskKeys(pi.id)).toEqual([]);
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toEqual([]);
      const stored = await h.engine().store.findBufferedMessages({ businessKey: bk });
      expect(stored).toEqual([]);
    });

    it('a buffered message goes only to an instance matching its business key, correlation keys and tenant', async () => {
      const bk = unique('keys');
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, correlationKeys: { region: 'north' }, timeToLive: 'PT10M' });
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, tenantId: 'acme', timeToLive: 'PT10M' });
      // What a caller bound to tenants publishes reaches only instances of those tenants.
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, tenantIdIn: ['globex'], timeToLive: 'PT10M' });
      const south = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk, variables: { region: 'south' } });
      const elsewhere = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: unique('other'), variables: { region: 'north' } });
      expect(await taskKeys(south.id)).toEqual([]);
      expect(await taskKeys(elsewhere.id)).toEqual([]);
      const north = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk, variables: { region: 'north' } });
      expect(await taskKeys(north.id)).toEqual(['directShip']);
      // The tenants' messages still wait: these instances have no tenant.
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toEqual([
        expect.objectContaining({ tenantId: 'acme', tenantIdIn: null }),
        expect.objectContaining({ tenantId: null, tenantIdIn: ['globex'] }),
      ]);
    });

    it('several buffered messages are handed out oldest first', async () => {
      const bk = unique('fifo');
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, processVariables: { n: 1 }, timeToLive: 'PT10M' });
      clock.advance(1000);
      await h.engine().publishMessage({ messageName: 'bufPayment', businessKey: bk, processVariables: { n: 2 }, timeToLive: 'PT10M' });
      const a = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
      const b = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedDirectCatch', businessKey: bk });
      expect((await h.engine().getVariables(a.id))['n']?.value).toBe(1);
      expect((await h.engine().getVariables(b.id))['n']?.value).toBe(2);
    });

    it('a buffered message triggers an interrupting boundary event when its activity starts', async () => {
      const bk = unique('boundary');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedCatch', businessKey: bk });
      await h.engine().publishMessage({ messageName: 'bufCancel', businessKey: bk, timeToLive: 'PT10M' });
      await completeTask(pi.id, 'prepare');
      await h.engine().correlateMessage({ messageName: 'bufPayment', businessKey: bk });
      expect(await taskKeys(pi.id)).toEqual(['refund']);
    });

    it('a buffered message decides an event-based gateway, and a receive task with a computed message name takes its own, across a restart', async () => {
      const bk = unique('gateway');
      await h.engine().publishMessage({ messageName: 'bufReject', businessKey: bk, timeToLive: 'PT10M' });
      await h.engine().publishMessage({ messageName: 'bufReply-77', businessKey: bk, processVariables: { reply: 'sorry' }, timeToLive: 'PT10M' });
      await h.restart();
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedGateway', businessKey: bk, variables: { orderId: 77 } });
      expect(await taskKeys(pi.id)).toEqual(['archive']);
      expect((await h.engine().getVariables(pi.id))['reply']?.value).toBe('sorry');
      expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
    });

    it('a buffered message starts a non-interrupting message event subprocess when its scope starts', async () => {
      const bk = unique('note');
      await h.engine().publishMessage({ messageName: 'bufNote', businessKey: bk, timeToLive: 'PT10M' });
      await h.engine().publishMessage({ messageName: 'bufNote', businessKey: bk, timeToLive: 'PT10M' });
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'bufferedGateway', businessKey: bk, variables: { orderId: 1 } });
      expect(await taskKeys(pi.id)).toEqual(['readNote', 'readNote']);
      await h.restart();
      await h.engine().correlateMessage({ messageName: 'bufApprove', businessKey: bk });
      expect(await taskKeys(pi.id)).toEqual(['readNote', 'readNote', 'ship']);
    });

    it('a message start event deployed later does not take a buffered message: only running instances do, as in Zeebe', async () => {
      const bk = unique('start');
      const published = await h.engine().publishMessage({ messageName: 'bufOrderPlaced', businessKey: bk, timeToLive: 'PT10M' });
      expect(published.buffered).not.toBeNull();
      await h.deploy('MessageBuffer.startEvent.bpmn');
      expect(await h.engine().countProcessInstances({ definitionKey: 'bufferedStart' })).toBe(0);
      expect(await h.engine().findBufferedMessages({ businessKey: bk })).toHaveLength(1);
      const [started] = await h.engine().correlateMessage({ messageName: 'bufOrderPlaced', businessKey: unique('start-now') });
      expect(started).toMatchObject({ resultType: 'ProcessDefinition' });
    });

    it("an engine default time to live buffers every correlation that matches nothing; a time to live of 0 keeps Camunda's error", async () => {
      const withDefault = await h.secondEngine({ messageBuffering: { defaultTtl: 'PT5M' } });
      const bk = unique('default');
      expect(await withDefault.correlateMessage({ messageName: 'bufPayment', businessKey: bk })).toEqual([]);
      expect(await withDefault.findBufferedMessages({ businessKey: bk })).toEqual([expect.objectContaining({ expiresAt: new Date(clock.now().getTime() + 5 * MINUTE) })]);
      await expect(withDefault.correlateMessage({ messageName: 'bufPayment', businessKey: unique('zero'), timeToLive: 0 })).rejects.toThrow('No process definition or execution matches the parameters');
      await expect(withDefault.publishMessage({ messageName: 'bufPayment', timeToLive: 'soon' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeToLive' });
    });
  },
  () => ({ clock, messageBuffering: {} }),
);
