import { afterAll, beforeAll, expect, it } from 'vitest';
import { AmqpRuntime, amqpServices, connectAmqp, createAmqpConnector, type AmqpClient, type Delivery } from '../../connectors/amqp/index.js';
import { definePlugin } from '../../plugins/index.js';
import { TestClock, eventually } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';
import { pluginNode } from '../helpers/plugin-node.js';
import { RabbitAdmin, TEST_AMQP_URL, cutConnections, uniqueName } from '../helpers/rabbitmq.js';

const clock = new TestClock();
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

engineSuite(
  'amqp connector and services',
  (h) => {
    // Every queue, exchange and connection of this run carries the prefix: runs and stores never share a queue.
    const prefix = uniqueName(`cf-test-amqp-${h.kind}`);
    const q = (what: string) => `${prefix}.${what}`;
    const names = {
      replies: q('replies'),
      commands: q('commands'),
      orders: q('orders'),
      payments: q('payments'),
      dlx: q('dlx'),
      dead: q('dead'),
      tasks: q('charge-tasks'),
      reports: q('charge-reports'),
    };
    const rt = new AmqpRuntime({ connectionName: prefix, answerGraceMs: 1_000, reconnectDelayMs: 50 });
    const plugin = definePlugin({
      name: 'cadenzaflow-amqp-test',
      apiVersion: 1,
      connectors: [createAmqpConnector(rt)],
      services: (host) => amqpServices(host, rt),
    });
    const config = {
      amqp: {
        url: '{{secrets.AMQP_URL}}',
        replyQueue: names.replies,
        retryDelayMs: 100,
        inbound: [
          { queue: names.orders, messageName: 'AmqpOrderPlaced', businessKey: { json: 'orderId' } },
          { queue: names.payments, messageName: 'AmqpPaymentReceived', businessKey: { header: 'x-order-id' }, deadLetterExchange: names.dlx },
        ],
        externalTasks: {
          workerId: 'amqp-bridge',
          replyQueue: names.reports,
          topics: [{ topicName: 'amqp-charge', queue: names.tasks, lockDuration: 60_000, includeExtensionProperties: true }],
        },
      },
    };

    let admin: RabbitAdmin;
    /** The other side: the credit service answering commands and the payment worker taking pushed tasks. */
    let peer: AmqpClient;
    const commands: Delivery[] = [];
    const held = new Map<string, Delivery>();
    const pushed: Record<string, unknown>[] = [];
    const flakyAttempts = new Map<string, number>();

    const send = (queue: string, correlationId: string, body: unknown) =>
      peer.publish('', queue, Buffer.from(JSON.stringify(body)), { correlationId, contentType: 'application/json' });
    const reply = (d: Delivery, body: unknown) => send(d.properties.replyTo!, d.properties.correlationId!, body);

    beforeAll(async () => {
      admin = await RabbitAdmin.open();
      for (const n of Object.values(names)) admin.forget(n);
      await admin.exchange(names.dlx, 'fanout');
      await admin.queue(names.dead);
      await admin.bind(names.dead, names.dlx, '');
      peer = connectAmqp(TEST_AMQP_URL, { connectionName: uniqueName('cf-test-peer'), logger: quiet });
      await peer.consume({ name: names.commands }, async (d) => {
        commands.push(d);
        const command = JSON.parse(d.body.toString()) as { customer: string; behaviour: string };
        d.ack();
        switch (command.behaviour) {
          case 'approve':
            return reply(d, { status: 'complete', variables: { score: 720 } });
          case 'refuse':
            return reply(d, { status: 'bpmnError', errorCode: 'CREDIT_REFUSED', errorMessage: 'too much debt', variables: { reason: 'debt' } });
          case 'flaky': {
            const n = (flakyAttempts.get(command.customer) ?? 0) + 1;
            flakyAttempts.set(command.customer, n);
            return reply(d, n === 1 ? { status: 'failure', errorMessage: 'scoring backend down' } : { status: 'complete', variables: { score: 1 } });
          }
          case 'twice':
            await reply(d, { status: 'complete', variables: { score: 2 } });
            return reply(d, { status: 'complete', variables: { score: 2 } });
          case 'hold':
            held.set(command.customer, d);
            return;
          default:
            return; // 'silent': never answers
        }
      });
      await peer.consume({ name: names.tasks }, async (d) => {
        const task = JSON.parse(d.body.toString()) as { id: string; businessKey: string; variables: Record<string, { value: unknown }> };
        pushed.push(task);
        d.ack();
        const answer = (body: unknown) => send(d.properties.replyTo!, d.properties.correlationId!, body);
        switch (task.variables['behaviour']?.value) {
          case 'pay':
            return answer({ status: 'complete', variables: { receipt: `R-${task.businessKey}` } });
          case 'pay-twice':
            await answer({ status: 'complete', variables: { receipt: 'once' } });
            return answer({ status: 'complete', variables: { receipt: 'once' } });
          case 'decline':
            return answer({ status: 'bpmnError', errorCode: 'CARD_DECLINED', errorMessage: 'card expired', variables: { declineReason: 'expired' } });
          case 'crash':
            return answer({ status: 'failure', errorMessage: 'card reader on fire', errorDetails: 'stack…', retries: 0 });
        }
      });
    });

    afterAll(async () => {
      await peer?.close();
      await admin?.close();
    });

    const node = pluginNode(h, () => [{ definition: plugin, config }]);

    beforeAll(async () => {
      await h.deploy('Amqp.publishQueue.bpmn', 'Amqp.publishExchange.bpmn', 'Amqp.request.bpmn', 'Amqp.inboundStart.bpmn', 'Amqp.inboundCatch.bpmn', 'Amqp.externalTask.bpmn');
    });

    const start = (key: string, businessKey: string, variables: Record<string, unknown> = {}) => h.engine().startProcessInstance({ processDefinitionKey: key, businessKey, variables });
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const waitForTask = (instanceId: string, key: string) =>
      eventually(async () => (await taskKeys(instanceId)).includes(key), 10_000, `task '${key}' of instance ${instanceId}`);
    const variable = async (instanceId: string, name: string) => (await h.engine().getVariables(instanceId))[name]?.value;
    const commandsOf = (customer: string) => commands.filter((d) => (JSON.parse(d.body.toString()) as { customer: string }).customer === customer);
    const logged = (msg: string, match: (fields: Record<string, unknown>) => boolean) => node.logs.some((l) => l.msg.includes(msg) && match(l.fields));

    it('deployment refuses amqp inputs the connector cannot take, naming the element and each parameter', async () => {
      const refused = h.engine().deploy({ resources: [{ name: 'Amqp.invalidInput.bpmn', content: fixture('Amqp.invalidInput.bpmn') }] });
      await expect(refused).rejects.toMatchObject({ code: 'MODEL_INVALID' });
      const problems = ((await refused.catch((e: { problems: { elementId: string; message: string }[] }) => e)) as { problems: { elementId: string; message: string }[] }).problems;
      expect(problems.every((p) => p.elementId === 'notify')).toBe(true);
      const text = problems.map((p) => p.message).join('\n');
      expect(text).toContain("input 'url': must be an amqp:// or amqps:// URL");
      expect(text).toContain("input 'mode'");
      expect(text).toContain("unknown input parameter 'persistant'");
    });

    it('a message published to a queue is in the queue when the activity completes, with its payload, headers and the idempotency key as message id', async () => {
      const queue = await admin.queue(q('announced'));
      const pi = await start('amqpPublishQueue', 'A-1', { queue, orderId: 'A-1', amount: 42 });
      // Publisher confirms: the command committed only after the broker took the message.
      const m = await admin.get(queue);
      expect(m).not.toBeNull();
      expect(JSON.parse(m!.content.toString())).toEqual({ orderId: 'A-1', amount: 42 });
      expect(m!.properties).toMatchObject({ contentType: 'application/json', deliveryMode: 2, type: 'order.placed', headers: { 'x-source': 'cadenzaflow' } });
      expect(m!.properties.messageId).toBe(await variable(pi.id, 'publishedId'));
      expect(await taskKeys(pi.id)).toEqual(['after']);
    });

    it('a message published to an exchange is routed by its routing key; a missing exchange or an unroutable mandatory message fails the call instead of vanishing', async () => {
      const exchange = await admin.exchange(q('shipping'), 'direct');
      const queue = await admin.queue(q('shipments'));
      await admin.bind(queue, exchange, 'eu');
      const pi = await start('amqpPublishExchange', 'B-1', { exchange, routingKey: 'eu', orderId: 'B-1' });
      const m = await admin.get(queue);
      expect(m!.content.toString()).toBe('shipment B-1 left');
      expect(m!.properties).toMatchObject({ contentType: 'text/plain; charset=utf-8', deliveryMode: 1 });
      expect(await taskKeys(pi.id)).toEqual(['after']);

      await expect(start('amqpPublishExchange', 'B-2', { exchange: q('no-such-exchange'), routingKey: 'eu', orderId: 'B-2' })).rejects.toThrow(/NOT_FOUND - no exchange/);
      await expect(start('amqpPublishExchange', 'B-3', { exchange, routingKey: 'mars', orderId: 'B-3' })).rejects.toThrow(/returned the message .* as unroutable/);
      expect(await h.engine().findProcessInstances({ businessKey: 'B-2' })).toEqual([]);
      expect(await h.engine().findProcessInstances({ businessKey: 'B-3' })).toEqual([]);

      // The broker closed the publish channel over the missing exchange; the next publish gets a new one.
      const again = await start('amqpPublishExchange', 'B-4', { exchange, routingKey: 'eu', orderId: 'B-4' });
      expect((await admin.get(queue))!.content.toString()).toBe('shipment B-4 left');
      expect(await taskKeys(again.id)).toEqual(['after']);
    });

    it('a request carries the correlation token and the reply queue, and the reply completes the activity with its variables', async () => {
      const pi = await start('amqpRequest', 'C-1', { commandQueue: names.commands, customer: 'C-1', behaviour: 'approve' });
      await waitForTask(pi.id, 'done');
      expect(await variable(pi.id, 'creditScore')).toBe(720);
      const [command] = commandsOf('C-1');
      expect(command!.properties.correlationId).toMatch(new RegExp(`^${pi.id}\\.`));
      expect(command!.properties.replyTo).toBe(names.replies);
      expect(command!.properties.messageId).toMatch(new RegExp(`^${pi.id}:`));
    });

    it('a BPMN error reply is thrown from the activity and caught by its error boundary event, with the reply variables set', async () => {
      const pi = await start('amqpRequest', 'C-2', { commandQueue: names.commands, customer: 'C-2', behaviour: 'refuse' });
      await waitForTask(pi.id, 'refusedTask');
      expect(await variable(pi.id, 'reason')).toBe('debt');
    });

    it('a failure reply makes a retry job send the command again with the same message id, and that reply completes the activity', async () => {
      const pi = await start('amqpRequest', 'C-3', { commandQueue: names.commands, customer: 'C-3', behaviour: 'flaky' });
      const [job] = await eventually(async () => {
        const jobs = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-retry' });
        return jobs.length ? jobs : null;
      });
      await h.engine().executeJob(job!.id);
      await waitForTask(pi.id, 'done');
      expect(await variable(pi.id, 'creditScore')).toBe(1);
      const sent = commandsOf('C-3');
      expect(sent).toHaveLength(2);
      expect(sent[1]!.properties.messageId).toBe(sent[0]!.properties.messageId);
      expect(sent[1]!.properties.correlationId).not.toBe(sent[0]!.properties.correlationId);
    });

    it('a reply delivered twice completes the call once; the duplicate is acknowledged and skipped', async () => {
      const pi = await start('amqpRequest', 'C-4', { commandQueue: names.commands, customer: 'C-4', behaviour: 'twice' });
      await waitForTask(pi.id, 'done');
      const token = commandsOf('C-4')[0]!.properties.correlationId;
      await eventually(async () => logged('not waiting', (f) => f['correlationId'] === token && f['reason'] === 'replayed'), 10_000, 'the duplicate to be skipped');
      expect(await variable(pi.id, 'creditScore')).toBe(2);
      expect(await h.engine().findTasks({ instanceId: pi.id })).toHaveLength(1);
      // The consumer is still alive after the duplicate.
      const next = await start('amqpRequest', 'C-5', { commandQueue: names.commands, customer: 'C-5', behaviour: 'approve' });
      await waitForTask(next.id, 'done');
    });

    it('without a reply the deadline throws the configured BPMN error, and a late reply is acknowledged and skipped', async () => {
      const pi = await start('amqpRequest', 'C-6', { commandQueue: names.commands, customer: 'C-6', behaviour: 'silent' });
      await eventually(async () => commandsOf('C-6').length === 1);
      const [deadline] = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-deadline' });
      expect(deadline!.dueDate!.getTime()).toBe(clock.now().getTime() + 60_000);
      clock.advance(60_000);
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['timedOut']);
      const late = commandsOf('C-6')[0]!;
      await reply(late, { status: 'complete', variables: { score: 999 } });
      await eventually(async () => logged('not waiting', (f) => f['correlationId'] === late.properties.correlationId && f['reason'] === 'unknown'), 10_000, 'the late reply to be skipped');
      expect(await taskKeys(pi.id)).toEqual(['timedOut']);
      expect(await variable(pi.id, 'creditScore')).toBeUndefined();
    });

    it('a reply sent while the node is down completes the call after the engine restarts', async () => {
      const pi = await start('amqpRequest', 'C-7', { commandQueue: names.commands, customer: 'C-7', behaviour: 'hold' });
      const command = await eventually(async () => held.get('C-7'));
      await node.stop();
      await h.restart();
      await reply(command, { status: 'complete', variables: { score: 640 } });
      await node.start();
      await waitForTask(pi.id, 'done');
      expect(await variable(pi.id, 'creditScore')).toBe(640);
    });

    it('a message on an inbound queue starts an instance through its message start event, with the business key and variables from the JSON body', async () => {
      await admin.publish(names.orders, { orderId: 'O-1', amount: 99 });
      const [pi] = await eventually(async () => {
        const found = await h.engine().findProcessInstances({ businessKey: 'O-1' });
        return found.length ? found : null;
      });
      expect(pi!.definitionKey).toBe('amqpInboundStart');
      expect(await variable(pi!.id, 'amount')).toBe(99);
      expect(await taskKeys(pi!.id)).toEqual(['review']);
    });

    it('a message reaches the waiting catch event of the instance named by its business key header, across a restart, and sets its variables', async () => {
      const pi = await start('amqpInboundCatch', 'P-1');
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['awaitPayment']);
      await node.restart();
      await admin.publish(names.payments, { paid: true, amount: 5 }, { headers: { 'x-order-id': 'P-1' } });
      await waitForTask(pi.id, 'ship');
      expect(await variable(pi.id, 'paid')).toBe(true);
      expect(await variable(pi.id, 'amount')).toBe(5);
    });

    it('an inbound message that correlates to nothing, or lacks its business key, is dead-lettered', async () => {
      await admin.publish(names.payments, { paid: true }, { headers: { 'x-order-id': 'nobody' }, messageId: 'no-match' });
      await admin.publish(names.payments, { paid: true }, { messageId: 'no-key' });
      const dead = new Map<string, Record<string, unknown>>();
      await eventually(async () => {
        const m = await admin.get(names.dead);
        if (m) dead.set(String(m.properties.messageId), m.properties.headers ?? {});
        return dead.size === 2;
      }, 10_000, 'two dead-lettered messages');
      expect(dead.get('no-match')!['x-death']).toBeDefined();
      expect(logged('correlates to nothing', (f) => f['messageId'] === 'no-match')).toBe(true);
      expect(logged('cannot be read', (f) => f['messageId'] === 'no-key')).toBe(true);
    });

    it('an external task of a pushed topic is published as soon as it is created, and the worker completing it completes the activity with its variables', async () => {
      const pi = await start('amqpPushedTask', 'T-1', { behaviour: 'pay' });
      await waitForTask(pi.id, 'charged');
      expect(await variable(pi.id, 'receipt')).toBe('R-T-1');
      const task = pushed.find((t) => t['processInstanceId'] === pi.id)!;
      expect(task).toMatchObject({ topicName: 'amqp-charge', workerId: 'amqp-bridge', activityId: 'charge', businessKey: 'T-1', extensionProperties: { channel: 'amqp' } });
      expect(await h.engine().externalTasks.findExternalTasks({ instanceId: pi.id })).toEqual([]);
    });

    it('a worker failure without retries left raises a failedExternalTask incident, as over REST', async () => {
      const pi = await start('amqpPushedTask', 'T-2', { behaviour: 'crash' });
      const [incident] = await eventually(async () => {
        const found = await h.engine().findIncidents({ instanceId: pi.id });
        return found.length ? found : null;
      });
      expect(incident).toMatchObject({ type: 'failedExternalTask', activityId: 'charge', message: 'card reader on fire' });
      const [task] = await h.engine().externalTasks.findExternalTasks({ instanceId: pi.id });
      expect(task).toMatchObject({ retries: 0, workerId: 'amqp-bridge', errorDetails: 'stack…' });
    });

    it('a worker BPMN error is caught by the error boundary event with the reported variables', async () => {
      const pi = await start('amqpPushedTask', 'T-3', { behaviour: 'decline' });
      await waitForTask(pi.id, 'declinedTask');
      expect(await variable(pi.id, 'declineReason')).toBe('expired');
    });

    it('a worker report delivered twice completes the task once; the second is acknowledged and skipped', async () => {
      const pi = await start('amqpPushedTask', 'T-4', { behaviour: 'pay-twice' });
      await waitForTask(pi.id, 'charged');
      const taskId = pushed.find((t) => t['processInstanceId'] === pi.id)!['id'];
      await eventually(async () => logged('no longer exists', (f) => f['taskId'] === taskId), 10_000, 'the second report to be skipped');
      expect(await variable(pi.id, 'receipt')).toBe('once');
      expect(await h.engine().externalTasks.findExternalTasks({ instanceId: pi.id })).toEqual([]);
    });

    it('after the broker drops the connection the node reconnects: a pending reply, a new publish and a pushed task all go through', async () => {
      const pending = await start('amqpRequest', 'C-8', { commandQueue: names.commands, customer: 'C-8', behaviour: 'hold' });
      const command = await eventually(async () => held.get('C-8'));
      const before = rt.connections().map((c) => c.connections);
      expect(await cutConnections(prefix, rt.connections())).toBeGreaterThan(0);
      await eventually(async () => rt.connections().every((c, i) => c.connected && c.connections > before[i]!), 15_000, 'the connection to come back');
      expect(logged('connection lost', () => true)).toBe(true);

      await reply(command, { status: 'complete', variables: { score: 580 } });
      await waitForTask(pending.id, 'done');
      expect(await variable(pending.id, 'creditScore')).toBe(580);

      const queue = await admin.queue(q('after-cut'));
      await start('amqpPublishQueue', 'A-2', { queue, orderId: 'A-2', amount: 1 });
      expect(JSON.parse((await admin.get(queue))!.content.toString())).toEqual({ orderId: 'A-2', amount: 1 });

      const pushedTask = await start('amqpPushedTask', 'T-5', { behaviour: 'pay' });
      await waitForTask(pushedTask.id, 'charged');
    });
  },
  () => ({
    clock,
    secrets: (name: string) => (name === 'AMQP_URL' ? TEST_AMQP_URL : undefined),
    connectorPolicy: { backoffMs: 1 },
  }),
);
