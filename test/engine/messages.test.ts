import { expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const clock = new TestClock();

engineSuite(
  'messages and signals',
  (h) => {
    it('a message reaches the catch event of the instance with its business key, carrying variables, after a restart', async () => {
      await h.deploy('Messages.catch.bpmn');
      const a = await h.engine().startProcessInstance({ processDefinitionKey: 'messageCatch', businessKey: 'order-a' });
      const b = await h.engine().startProcessInstance({ processDefinitionKey: 'messageCatch', businessKey: 'order-b' });
      await h.restart();
      const [result] = await h.engine().correlateMessage({ messageName: 'paymentReceived', businessKey: 'order-b', processVariables: { paid: 99.5 } });
      expect(result).toMatchObject({ resultType: 'Execution', processInstanceId: b.id });
      expect((await h.engine().findTasks({ instanceId: b.id })).map((t) => t.taskDefinitionKey)).toEqual(['ship']);
      expect(await h.engine().findTasks({ instanceId: a.id })).toEqual([]);
      expect((await h.engine().getVariables(b.id))['paid']?.value).toBe(99.5);
    });

    it('a message that matches several executions is refused unless correlated to all', async () => {
      await h.deploy('Messages.catch.bpmn');
      const a = await h.engine().startProcessInstance({ processDefinitionKey: 'messageCatch', businessKey: 'same', variables: { region: 'north' } });
      const b = await h.engine().startProcessInstance({ processDefinitionKey: 'messageCatch', businessKey: 'same', variables: { region: 'south' } });
      await expect(h.engine().correlateMessage({ messageName: 'paymentReceived', businessKey: 'same' })).rejects.toMatchObject({
        camundaType: 'MismatchingMessageCorrelationException',
        message: expect.stringContaining("Cannot correlate a message with name 'paymentReceived' to a single execution. 2 executions match"),
      });
      const [one] = await h.engine().correlateMessage({ messageName: 'paymentReceived', businessKey: 'same', correlationKeys: { region: 'south' } });
      expect(one!.processInstanceId).toBe(b.id);
      const all = await h.engine().correlateMessage({ messageName: 'paymentReceived', businessKey: 'same', all: true });
      expect(all.map((r) => r.processInstanceId)).toEqual([a.id]);
    });

    it('a message nobody waits for starts the process at its message start event, and otherwise fails clearly', async () => {
      await h.deploy('Messages.catch.bpmn');
      const [started] = await h.engine().correlateMessage({ messageName: 'orderPlaced', businessKey: 'order-new' });
      expect(started).toMatchObject({ resultType: 'ProcessDefinition', businessKey: 'order-new' });
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: started!.processInstanceId });
      expect(hpi!.startActivityId).toBe('placed');
      await expect(h.engine().correlateMessage({ messageName: 'nobodyListens' })).rejects.toThrow(
        "Cannot correlate message 'nobodyListens': No process definition or execution matches the parameters",
      );
    });

    it('a message boundary event interrupts the user task', async () => {
      await h.deploy('Messages.catch.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageCatch', businessKey: 'c1' });
      await h.engine().correlateMessage({ messageName: 'paymentReceived', processInstanceId: pi.id });
      await h.engine().correlateMessage({ messageName: 'orderCancelled', processInstanceId: pi.id });
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['refund']);
      expect(await h.engine().findEventSubscriptions({ instanceId: pi.id })).toEqual([]);
    });

    it('a receive task waits for a message whose name is an expression', async () => {
      await h.deploy('Messages.receiveTask.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'receiveReply', variables: { orderId: 42 } });
      const [sub] = await h.engine().findEventSubscriptions({ instanceId: pi.id });
      expect(sub).toMatchObject({ type: 'message', eventName: 'reply-42', activityId: 'waitReply' });
      await h.engine().correlateMessage({ messageName: 'reply-42' });
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
    });

    it('an event-based gateway follows the first event and drops the others', async () => {
      await h.deploy('Messages.eventBasedGateway.bpmn');
      const byMessage = await h.engine().startProcessInstance({ processDefinitionKey: 'eventGateway' });
      expect(await h.engine().countJobs({ instanceId: byMessage.id })).toBe(1);
      expect(await h.engine().findEventSubscriptions({ instanceId: byMessage.id })).toHaveLength(2);
      await h.engine().correlateMessage({ messageName: 'approved', processInstanceId: byMessage.id });
      expect((await h.engine().findTasks({ instanceId: byMessage.id })).map((t) => t.taskDefinitionKey)).toEqual(['approvedTask']);
      expect(await h.engine().countJobs({ instanceId: byMessage.id })).toBe(0);
      expect(await h.engine().findEventSubscriptions({ instanceId: byMessage.id })).toEqual([]);
      const acts = await h.engine().findHistoricActivityInstances({ instanceId: byMessage.id }, {}, [{ by: 'sequenceCounter' }]);
      expect(acts.map((a) => a.activityId)).toEqual(['start', 'gw', 'onApproved', 'approvedTask']);

      const byTimer = await h.engine().startProcessInstance({ processDefinitionKey: 'eventGateway' });
      clock.advanceMinutes(60);
      expect(await h.engine().runDueJobs()).toBe(1);
      expect((await h.engine().findTasks({ instanceId: byTimer.id })).map((t) => t.taskDefinitionKey)).toEqual(['timeoutTask']);
    });

    it('a signal reaches every waiting subscription, starts processes with a signal start event, and can be thrown by a process', async () => {
      await h.deploy('Signals.throwCatch.bpmn');
      const c1 = await h.engine().startProcessInstance({ processDefinitionKey: 'signalCatcher' });
      const c2 = await h.engine().startProcessInstance({ processDefinitionKey: 'signalCatcher' });
      const thrower = await h.engine().startProcessInstance({ processDefinitionKey: 'signalThrower' });
      expect(thrower.ended).toBe(true);
      for (const c of [c1, c2]) {
        expect((await h.engine().findTasks({ instanceId: c.id }, {}, [{ by: 'taskDefinitionKey' }])).map((t) => t.taskDefinitionKey)).toEqual(['react', 'work']);
      }
      expect(await h.engine().countProcessInstances({ definitionKey: 'signalStarted' })).toBe(1);
      const r = await h.engine().broadcastSignal({ signalName: 'alarm', variables: { level: 2 } });
      expect(r).toEqual({ delivered: 2, started: 1 });
      expect(await h.engine().findTasks({ instanceId: c1.id, taskDefinitionKey: 'react' })).toHaveLength(2);
    });
  },
  () => ({ clock }),
);
