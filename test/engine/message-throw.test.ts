import { expect, it } from 'vitest';
import { BpmnError, type DelegateExecution } from '../../engine/index.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

const clock = new TestClock();
const MINUTE = 60_000;
const sent: { recipient: string; orderId: unknown }[] = [];
const notified: Record<string, unknown>[] = [];
const receipts: string[] = [];

engineSuite(
  'message throw and end events, send tasks',
  (h) => {
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const activityTypes = async (instanceId: string) =>
      Object.fromEntries((await h.engine().findHistoricActivityInstances({ instanceId })).map((a) => [a.activityId, a.activityType]));

    it('a message throw event with camunda:expression runs it like a service task, with its input mapping, listeners and result variable', async () => {
      await h.deploy('MessageThrow.serviceLike.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowServiceLike', variables: { customer: 'ada', orderId: 7 } });
      expect(sent).toContainEqual({ recipient: 'ada@example.org', orderId: 7 });
      const vars = await h.engine().getVariables(pi.id);
      expect(vars['confirmationId']).toEqual({ type: 'String', value: 'mail-7' });
      expect(vars['confirmStarted']).toEqual({ type: 'Boolean', value: true });
      // The input parameter lived in the event's own scope only.
      expect(vars['recipient']).toBeUndefined();
      expect(await taskKeys(pi.id)).toEqual(['review']);
    });

    it('a message throw event with camunda:delegateExpression gets the fields of its messageEventDefinition injected', async () => {
      await h.deploy('MessageThrow.serviceLike.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowServiceLike', variables: { customer: 'bob', orderId: 8 } });
      expect(notified).toContainEqual({ channel: 'sms', text: 'order 8 confirmed', activity: 'notify', instance: pi.id });
    });

    it('a message end event with camunda:class runs its handler after a restart and ends the instance', async () => {
      await h.deploy('MessageThrow.serviceLike.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowServiceLike', variables: { customer: 'cy', orderId: 9 } });
      await h.restart();
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(task!.id);
      expect(receipts).toContain(pi.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect(await activityTypes(pi.id)).toMatchObject({ confirm: 'intermediateMessageThrowEvent', notify: 'intermediateMessageThrowEvent', sendReceipt: 'messageEndEvent' });
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'COMPLETED', endActivityId: 'sendReceipt' });
    });

    it('a message throw event and a message end event with camunda:type="external" wait for a worker, across restarts', async () => {
      await h.deploy('MessageThrow.external.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowExternal', variables: { region: 'eu' } });
      await h.restart();
      const svc = () => h.engine().externalTasks;
      const [announce] = await svc().fetchAndLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'announce-eu', lockDuration: MINUTE, includeExtensionProperties: true }] });
      expect(announce).toMatchObject({ instanceId: pi.id, activityId: 'announce', priority: 7, extensionProperties: { channel: 'kafka' } });
      await svc().complete(announce!.id, 'w1', { trackingNo: 'T-1' });
      expect(await h.engine().getProcessInstance(pi.id)).not.toBeNull();
      await h.restart();
      const [close] = await svc().fetchAndLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'close-order', lockDuration: MINUTE, processDefinitionId: pi.definitionId }] });
      expect(close).toMatchObject({ instanceId: pi.id, activityId: 'closed' });
      await svc().complete(close!.id, 'w1');
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'COMPLETED', endActivityId: 'closed' });
      const [tracking] = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'trackingNo' });
      expect(tracking?.value).toEqual({ type: 'String', value: 'T-1' });
    });

    it('message throw and end events without an implementation do nothing but pass, as in Camunda', async () => {
      await h.deploy('MessageThrow.passThrough.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowPassThrough' });
      expect(pi.ended).toBe(true);
      expect(await activityTypes(pi.id)).toMatchObject({ ping: 'intermediateNoneThrowEvent', bye: 'messageEndEvent' });
      const [pinged] = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'pinged' });
      expect(pinged?.value).toEqual({ type: 'Boolean', value: true });
      expect(await h.engine().findEventSubscriptions({ instanceId: pi.id })).toEqual([]);
    });

    it('a BPMN error thrown by the handler of a message throw event is caught by an error event subprocess', async () => {
      await h.deploy('MessageThrow.bpmnError.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'messageThrowBpmnError' });
      expect(await taskKeys(pi.id)).toEqual(['fixAddress']);
    });

    it('send tasks run camunda:expression with a result variable and wait as external tasks across a restart', async () => {
      await h.deploy('SendTask.serviceLike.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'sendTaskServiceLike', variables: { customer: 'dee', orderId: 10 } });
      expect((await h.engine().getVariables(pi.id))['mailId']).toEqual({ type: 'String', value: 'mail-10' });
      await h.restart();
      const [sms] = await h.engine().externalTasks.fetchAndLock({ workerId: 'w2', maxTasks: 5, topics: [{ topicName: 'sms', lockDuration: MINUTE, processDefinitionId: pi.definitionId }] });
      expect(sms).toMatchObject({ instanceId: pi.id, activityId: 'sendSms' });
      await h.engine().externalTasks.complete(sms!.id, 'w2');
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    });

    it("implementations on message throw and end events follow Camunda's parser rules, and a connector there must be registered", async () => {
      const deploying = h.engine().deploy({ name: 'invalid', resources: [{ name: 'MessageThrow.invalid.bpmn', content: fixture('MessageThrow.invalid.bpmn') }] });
      const error = await deploying.then(
        () => null,
        (e: unknown) => e as { code: string; problems: { severity: string; elementId?: string; message: string }[] },
      );
      expect(error?.code).toBe('MODEL_INVALID');
      const errors = error!.problems.filter((p) => p.severity === 'error').map((p) => [p.elementId, p.message]);
      expect(errors).toEqual(
        expect.arrayContaining([
          ['emptyClass', "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on intermediateMessageThrowEvent."],
          ['pigeon', "Invalid usage of type attribute on intermediateMessageThrowEvent: 'carrierPigeon'"],
          ['viaConnector', "camunda:connector 'http-connector': no connector 'http-connector' is registered (known: none)"],
          ['classWithResult', "'resultVariableName' not supported for messageEndEvent elements using 'class'"],
          ['noTopic', "External tasks must specify a 'topic' attribute in the camunda namespace"],
        ]),
      );
      expect(errors).toHaveLength(5);
    });
  },
  () => ({
    clock,
    beans: {
      mailer: {
        send: (recipient: string, orderId: unknown) => {
          sent.push({ recipient, orderId });
          return `mail-${String(orderId)}`;
        },
      },
      notifier: (execution: DelegateExecution, fields: Readonly<Record<string, unknown>>) => {
        notified.push({ ...fields, activity: execution.getCurrentActivityId(), instance: execution.getProcessInstanceId() });
      },
    },
    handlers: {
      'com.example.SendReceipt': (execution: DelegateExecution) => {
        receipts.push(execution.getProcessInstanceId());
      },
      'com.example.SendInvoice': () => {
        throw new BpmnError('NO_ADDRESS', 'no billing address');
      },
    },
  }),
);
