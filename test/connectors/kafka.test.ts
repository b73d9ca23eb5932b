import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaClient,
  createKafkaIntegration,
  HEADERS,
  parseKafkaConfig,
  type InboundService,
  type IncomingRecord,
  type KafkaClient,
  type KafkaConfigInput,
  type PushBridgeService,
  type PushedTask,
  type ReplyConsumerService,
} from '../../connectors/kafka/index.js';
import type { ConnectorLogger } from '../../engine/index.js';
import { definePlugin, PLUGIN_API_VERSION, PluginRuntime, type PluginService } from '../../plugins/index.js';
import { eventually } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock.js';

/** Every topic the suite uses, on 3 brokers; broker 1 leads them all and coordinates every group, so taking it down stops everything. */
const TOPICS = ['orders.audit', 'payments.commands', 'cadenzaflow.replies', 'orders', 'payments.events', 'tasks.charge-card', 'task-answers'];
const GROUPS = ['cf.replies', 'cf.inbound', 'cf.tasks', 'test-responder', 'test-audit', 'test-worker'];

function collectingLogger(lines: string[]): ConnectorLogger {
  const push = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${msg} ${fields ? JSON.stringify(fields) : ''}`);
  return { debug: () => undefined, info: push('info'), warn: push('warn'), error: push('error') };
}

/** What `camunda:class="test.SlowStep"` waits for before its command may commit. */
let slowStepGate: (() => Promise<unknown>) | null = null;

const json = (r: IncomingRecord) => JSON.parse(r.value!.toString('utf8')) as Record<string, unknown>;

describe('kafka configuration', () => {
  it('a wrong configuration is refused naming every wrong field', () => {
    expect(() => parseKafkaConfig({ brokers: ['localhost'], inbound: [{ topic: 'orders', businessKey: { from: 'header' } }] })).toThrow(
      /kafka\.brokers\.0: .*host:port.*kafka\.inbound\.0\.messageName: .*kafka\.inbound\.0\.businessKey\.name/,
    );
  });
});

engineSuite('kafka connector and services', (h) => {
  let mock: KafkaMock;
  /** The test's own side of Kafka: a responder, an audit reader and an external-task worker. */
  let peer: KafkaClient;
  const nodeLogs: string[] = [];
  const peerLogs: string[] = [];
  let runtime: PluginRuntime | null = null;
  let services: PluginService[] = [];
  let config: KafkaConfigInput;

  const audit: IncomingRecord[] = [];
  const commands: IncomingRecord[] = [];
  /** What the responder does per order id; default pay. */
  const responder = new Map<string, 'pay' | 'decline' | 'twice' | 'hold' | 'garbage'>();
  const heldCommands = new Map<string, IncomingRecord>();
  const pushed: PushedTask[] = [];
  /** What the worker does per business key; default complete. */
  const worker = new Map<string, 'complete' | 'fail' | 'decline' | 'hold'>();
  const heldTasks = new Map<string, PushedTask>();

  const replies = () => services.find((s) => s.name === 'kafka-replies') as ReplyConsumerService;
  const inbound = () => services.find((s) => s.name === 'kafka-inbound') as InboundService;
  const bridge = () => services.find((s) => s.name === 'kafka-push') as PushBridgeService;

  async function startNode(): Promise<void> {
    const integration = createKafkaIntegration();
    const plugin = definePlugin({
      name: 'kafka-test',
      apiVersion: PLUGIN_API_VERSION,
      connectors: [integration.connector],
      services: (host) => (services = integration.services(host)),
    });
    runtime = new PluginRuntime(h.engine(), [{ definition: plugin, spec: { name: 'kafka-test', config }, version: null }], collectingLogger(nodeLogs));
    runtime.install();
    await runtime.start();
    await Promise.all([replies().ready(), inbound().ready(), bridge().ready()]);
  }

  async function stopNode(): Promise<void> {
    await runtime?.stop();
    runtime = null;
  }

  /** A node restart: its services stop, the engine reopens on the same store, the services start again. */
  async function restartNode(): Promise<void> {
    await stopNode();
    await h.restart();
    await startNode();
  }

  async function reply(command: IncomingRecord, body: Record<string, unknown>): Promise<void> {
    await peer.send(command.headers[HEADERS.replyTo]!, [{ key: command.key, value: JSON.stringify(body), headers: { [HEADERS.correlationToken]: command.headers[HEADERS.correlationToken]! } }]);
  }

  async function answer(task: PushedTask, body: Record<string, unknown>): Promise<void> {
    await peer.send(task.replyTo, [{ key: task.processInstanceId, value: JSON.stringify(body), headers: { [HEADERS.externalTaskId]: task.id } }]);
  }

  const payReply = (orderId: string) => ({ outcome: 'result', output: { receiptId: `R-${orderId}` } });

  const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
  const waitForTask = (instanceId: string, key: string) => eventually(async () => (await taskKeys(instanceId)).includes(key), 20_000, `task '${key}' of ${instanceId}`);
  const activityRuns = async (instanceId: string, activityId: string) => (await h.engine().findHistoricActivityInstances({ instanceId, activityId })).length;
  const request = (orderId: string, timeout: string | null = null) =>
    h.engine().startProcessInstance({ processDefinitionKey: 'kafkaRequest', businessKey: orderId, variables: { orderId, amount: 120, timeout } });

  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3, topics: TOPICS.map((name) => ({ name, partitions: 2, replication: 3 })) });
    for (const t of TOPICS) for (const p of [0, 1]) await mock.setLeader(t, p, 1);
    for (const g of GROUPS) await mock.setGroupCoordinator(g, 1);
    config = {
      brokers: mock.brokers,
      clientId: `cadenzaflow-${h.kind}`,
      groupId: 'cf',
      retry: { retries: 12, initialRetryTimeMs: 50, maxRetryTimeMs: 2000 },
      consumer: { sessionTimeoutMs: 4000, heartbeatIntervalMs: 300, maxWaitTimeMs: 25 },
      replyTopics: ['cadenzaflow.replies'],
      replyGraceMs: 1000,
      inbound: [
        { topic: 'orders', messageName: 'OrderPlaced', businessKey: { from: 'key' }, recordIdVariable: 'kafkaRecord' },
        { topic: 'payments.events', messageName: 'PaymentReceived', businessKey: { from: 'header', name: 'order-id' }, variables: { paidAmount: 'amount' }, noMatchRetryMs: 10_000 },
      ],
      inboundFromBeginning: true,
      push: { replyTopic: 'task-answers', asyncResponseTimeout: 5000, topics: [{ topicName: 'charge-card', kafkaTopic: 'tasks.charge-card', lockDuration: 60_000 }] },
    };
    peer = createKafkaClient({ brokers: mock.brokers, clientId: 'test-peer', retry: { retries: 12, initialRetryTimeMs: 50, maxRetryTimeMs: 2000 } }, collectingLogger(peerLogs));
    const consumer = { sessionTimeoutMs: 4000, heartbeatIntervalMs: 300, maxWaitTimeMs: 25, fromBeginning: true };
    const peers = await Promise.all([
      peer.consume({
        ...consumer,
        groupId: 'test-audit',
        topics: ['orders.audit'],
        handle: async (r) => void audit.push(r),
      }),
      peer.consume({
        ...consumer,
        groupId: 'test-responder',
        topics: ['payments.commands'],
        handle: async (r) => {
          commands.push(r);
          const orderId = String(json(r)['orderId']);
          switch (responder.get(orderId) ?? 'pay') {
            case 'pay':
              return reply(r, payReply(orderId));
            case 'twice':
              await reply(r, payReply(orderId));
              return reply(r, payReply(orderId));
            case 'decline':
              return reply(r, { outcome: 'bpmnError', errorCode: 'PAYMENT_DECLINED', errorMessage: 'insufficient funds', variables: { declineReason: 'funds' } });
            case 'garbage':
              return reply(r, { outcome: 'maybe' });
            case 'hold':
              heldCommands.set(orderId, r);
          }
        },
      }),
      peer.consume({
        ...consumer,
        groupId: 'test-worker',
        topics: ['tasks.charge-card'],
        handle: async (r) => {
          const task = JSON.parse(r.value!.toString('utf8')) as PushedTask;
          pushed.push(task);
          const bk = task.businessKey!;
          switch (worker.get(bk) ?? 'complete') {
            case 'complete':
              return answer(task, { outcome: 'complete', variables: { receipt: `C-${bk}` } });
            case 'fail':
              return answer(task, { outcome: 'failure', errorMessage: 'card service down', errorDetails: 'HTTP 503', retries: (task.retries ?? 3) - 1, retryTimeout: 0 });
            case 'decline':
              return answer(task, { outcome: 'bpmnError', errorCode: 'CARD_DECLINED', errorMessage: 'card expired', variables: { reason: 'expired' } });
            case 'hold':
              heldTasks.set(bk, task);
          }
        },
      }),
    ]);
    await startNode();
    await h.deploy('Kafka.produce.bpmn', 'Kafka.request.bpmn', 'Kafka.requestBeforeCommit.bpmn', 'Kafka.inboundStart.bpmn', 'Kafka.inboundCorrelate.bpmn', 'Kafka.push.bpmn');
    await Promise.all(peers.map((c) => c.ready));
  }, 60_000);

  afterAll(async () => {
    await stopNode();
    await peer?.close();
    await mock?.stop();
  });

  it('produce publishes the key, the JSON value and the headers, and the output parameters read where the record landed', async () => {
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaProduce', variables: { orderId: 'A-100', amount: 250 } });
    expect(await taskKeys(pi.id)).toEqual(['after']);
    const record = await eventually(async () => audit.find((r) => r.key === 'A-100'), 10_000, 'the audit record');
    expect(json(record)).toEqual({ orderId: 'A-100', amount: 250 });
    expect(record.headers).toMatchObject({ 'event-type': 'OrderPlaced', 'content-type': 'application/json', [HEADERS.idempotencyKey]: expect.stringContaining(pi.id) });
    const vars = await h.engine().getVariables(pi.id);
    expect(vars['auditPartition']!.value).toBe(record.partition);
    expect(vars['auditOffset']!.value).toBe(record.offset);
  });

  it('a request waits for its reply, which completes the activity with the output parameters read from it', async () => {
    const pi = await request('B-1');
    const command = await eventually(async () => commands.find((c) => c.key === 'B-1'), 10_000, 'the command');
    expect(command.headers[HEADERS.correlationToken]).toMatch(new RegExp(`^${pi.id}\\.`));
    expect(command.headers[HEADERS.replyTo]).toBe('cadenzaflow.replies');
    expect(json(command)).toEqual({ orderId: 'B-1', amount: 120 });
    await waitForTask(pi.id, 'paid');
    expect((await h.engine().getVariables(pi.id))['receipt']!.value).toBe('R-B-1');
  });

  it('a reply carrying a BPMN error leaves through the error boundary event with its variables', async () => {
    responder.set('C-1', 'decline');
    const pi = await request('C-1');
    await waitForTask(pi.id, 'declined');
    expect((await h.engine().getVariables(pi.id))['declineReason']!.value).toBe('funds');
  });

  it('a reply that is no CadenzaFlow reply fails the call, and the job that makes it again sends the command with the same idempotency key', async () => {
    responder.set('Q-1', 'garbage');
    const pi = await request('Q-1');
    const [retry] = await eventually(async () => {
      const jobs = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-retry' });
      return jobs.length ? jobs : null;
    }, 10_000, 'the retry job');
    responder.set('Q-1', 'pay');
    await h.engine().executeJob(retry!.id);
    await waitForTask(pi.id, 'paid');
    const sent = commands.filter((c) => c.key === 'Q-1');
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((c) => c.headers[HEADERS.idempotencyKey])).size).toBe(1);
    expect(new Set(sent.map((c) => c.headers[HEADERS.correlationToken])).size).toBe(2);
  });

  it('a request with no reply before its deadline raises the configured BPMN error, and the late reply is skipped', async () => {
    responder.set('D-1', 'hold');
    const pi = await request('D-1', 'PT1S');
    const [deadline] = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-deadline' });
    expect(deadline).toBeDefined();
    await eventually(async () => heldCommands.get('D-1'), 10_000, 'the held command');
    await eventually(async () => (await h.engine().runDueJobs()) > 0 || null, 10_000, 'the deadline');
    expect(await taskKeys(pi.id)).toEqual(['timedOut']);
    const skipped = replies().stats.skipped;
    await reply(heldCommands.get('D-1')!, payReply('D-1'));
    await eventually(async () => replies().stats.skipped > skipped, 10_000, 'the late reply to be skipped');
    expect(await taskKeys(pi.id)).toEqual(['timedOut']);
    expect(await activityRuns(pi.id, 'paid')).toBe(0);
  });

  it('a reply that arrives twice completes the activity once; the second copy is skipped and the consumer goes on', async () => {
    responder.set('E-1', 'twice');
    const skipped = replies().stats.skipped;
    const pi = await request('E-1');
    await waitForTask(pi.id, 'paid');
    await eventually(async () => replies().stats.skipped > skipped, 10_000, 'the second reply to be skipped');
    expect(await activityRuns(pi.id, 'charge')).toBe(1);
    expect(await activityRuns(pi.id, 'paid')).toBe(1);
    expect(nodeLogs.some((l) => l.includes('Kafka reply skipped: no call waits for its token'))).toBe(true);
    const next = await request('E-2');
    await waitForTask(next.id, 'paid');
  });

  it('a reply that overtakes the commit of its request waits for it and completes the activity', async () => {
    const before = replies().stats.notWaitingYet;
    // The start command sends the request, then holds its transaction open until the reply consumer met the reply.
    slowStepGate = () => eventually(async () => replies().stats.notWaitingYet > before, 10_000, 'the reply to arrive before the commit');
    try {
      const waited = replies().stats.waited;
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaRequestBeforeCommit', businessKey: 'N-1', variables: { orderId: 'N-1' } });
      await waitForTask(pi.id, 'paid');
      expect(replies().stats.waited).toBe(waited + 1);
      expect((await h.engine().getVariables(pi.id))['receipt']!.value).toBe('R-N-1');
      expect((await taskKeys(pi.id)).sort()).toEqual(['packed', 'paid']);
    } finally {
      slowStepGate = null;
    }
  });

  it('a reply sent while the node is down completes the pending request after the engine restarted', async () => {
    responder.set('F-1', 'hold');
    const pi = await request('F-1');
    const command = await eventually(async () => heldCommands.get('F-1'), 10_000, 'the held command');
    await stopNode();
    await reply(command, payReply('F-1'));
    await h.restart();
    await startNode();
    await waitForTask(pi.id, 'paid');
    expect((await h.engine().getVariables(pi.id))['receipt']!.value).toBe('R-F-1');
    expect(await activityRuns(pi.id, 'paid')).toBe(1);
  });

  it('a broker restarted mid-run loses no command and no reply, and completes every request once', async () => {
    const held = ['G-1', 'G-2', 'G-3'];
    for (const id of held) responder.set(id, 'hold');
    const instances = await Promise.all(held.map((id) => request(id)));
    await eventually(async () => held.every((id) => heldCommands.has(id)), 10_000, 'the held commands');
    const [peerSeen, nodeSeen] = [peerLogs.length, nodeLogs.length];
    await mock.down(1);
    // Replies and a new request meet a broker that refuses connections; both must get through once it is back.
    const sending = Promise.all(held.map((id) => reply(heldCommands.get(id)!, payReply(id))));
    const late = request('G-4');
    await eventually(async () => [...peerLogs.slice(peerSeen), ...nodeLogs.slice(nodeSeen)].some((l) => l.includes('ECONNREFUSED')), 10_000, 'traffic to hit the stopped broker');
    // Nothing gets through while the broker is down.
    expect(commands.some((c) => c.key === 'G-4')).toBe(false);
    for (const pi of instances) expect(await taskKeys(pi.id)).toEqual([]);
    await mock.up(1);
    await sending;
    instances.push(await late);
    for (const pi of instances) await waitForTask(pi.id, 'paid');
    for (const pi of instances) {
      expect(await activityRuns(pi.id, 'charge')).toBe(1);
      expect(await activityRuns(pi.id, 'paid')).toBe(1);
      expect((await h.engine().getVariables(pi.id))['receipt']!.value).toBe(`R-${pi.businessKey}`);
    }
    // A command sent again after a lost acknowledgement carries the same idempotency key.
    const g4 = commands.filter((c) => c.key === 'G-4');
    expect(g4.length).toBeGreaterThanOrEqual(1);
    expect(new Set(g4.map((c) => c.headers[HEADERS.idempotencyKey])).size).toBe(1);
  });

  it('a record on a bound topic starts an instance at the message start event with its key as business key and its body as variables; a malformed one is skipped', async () => {
    await peer.send('orders', [{ key: 'H-1', value: 'not json' }]);
    await peer.send('orders', [{ key: 'H-1', value: JSON.stringify({ item: 'lamp', qty: 2 }) }]);
    const [pi] = await eventually(async () => {
      const found = await h.engine().findProcessInstances({ definitionKey: 'kafkaInboundStart', businessKey: 'H-1' });
      return found.length ? found : null;
    }, 15_000, 'the started instance');
    expect(await taskKeys(pi!.id)).toEqual(['review']);
    const vars = await h.engine().getVariables(pi!.id);
    expect(vars['item']!.value).toBe('lamp');
    expect(vars['qty']!.value).toBe(2);
    expect(vars['kafkaRecord']!.value).toMatch(/^orders\/\d@\d+$/);
    expect(nodeLogs.some((l) => l.includes('Kafka record skipped: it cannot be correlated') && l.includes('is not JSON'))).toBe(true);
    expect(await h.engine().countProcessInstances({ definitionKey: 'kafkaInboundStart', businessKey: 'H-1' })).toBe(1);
  });

  it('a record replayed after a crash between the engine commit and the offset commit is skipped by its record id', async () => {
    const nodeSeen = nodeLogs.length;
    // OFFSET_METADATA_TOO_LARGE (12) is not retried by the client: the correlation committed, the offset did not.
    await mock.failRequests(8, 1, 12);
    await peer.send('orders', [{ key: 'O-1', value: JSON.stringify({ item: 'desk' }) }]);
    const [pi] = await eventually(async () => {
      const found = await h.engine().findProcessInstances({ definitionKey: 'kafkaInboundStart', businessKey: 'O-1' });
      return found.length ? found : null;
    }, 15_000, 'the started instance');
    await eventually(async () => nodeLogs.slice(nodeSeen).some((l) => l.includes('Kafka offset commit failed') && l.includes('"topic":"orders"')), 10_000, 'the failed offset commit');
    await restartNode();
    // The restarted node's services count from zero; its consumer first rejoins the group, which takes longer on a busy machine.
    await eventually(async () => inbound().stats.skipped > 0, 30_000, 'the replayed record to be skipped');
    expect(nodeLogs.some((l) => l.includes('it was correlated before (redelivery)') && l.includes(pi!.id))).toBe(true);
    expect(await h.engine().countProcessInstances({ definitionKey: 'kafkaInboundStart', businessKey: 'O-1' })).toBe(1);
  });

  it('a record nothing waits for yet is tried again until the instance it belongs to waits for it', async () => {
    await peer.send('payments.events', [{ key: null, value: JSON.stringify({ amount: 7 }), headers: { 'order-id': 'P-1' } }]);
    await eventually(async () => nodeLogs.some((l) => l.includes('Kafka record not handled yet') && l.includes('payments.events')), 10_000, 'the first attempt');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaInboundCorrelate', businessKey: 'P-1' });
    await waitForTask(pi.id, 'ship');
    expect((await h.engine().getVariables(pi.id))['paidAmount']!.value).toBe(7);
  });

  it('a record with the business key in a header reaches the instance waiting for its message across a restart', async () => {
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaInboundCorrelate', businessKey: 'I-1' });
    expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['awaitPayment']);
    await restartNode();
    const before = inbound().stats.correlated;
    await peer.send('payments.events', [{ key: null, value: JSON.stringify({ amount: 42, currency: 'EUR' }), headers: { 'order-id': 'I-1' } }]);
    await waitForTask(pi.id, 'ship');
    const vars = await h.engine().getVariables(pi.id);
    expect(vars['paidAmount']!.value).toBe(42);
    expect(vars['currency']).toBeUndefined();
    expect(inbound().stats.correlated).toBe(before + 1);
  });

  it('an external task of a pushed topic is published to Kafka as it is created, and the worker completes it across a restart; a second answer is skipped', async () => {
    worker.set('J-1', 'hold');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaPush', businessKey: 'J-1', variables: { amount: 99 } });
    const task = await eventually(async () => heldTasks.get('J-1'), 10_000, 'the pushed task');
    expect(task).toMatchObject({ topicName: 'charge-card', activityId: 'charge', processInstanceId: pi.id, processDefinitionKey: 'kafkaPush', variables: { amount: 99 }, replyTo: 'task-answers' });
    const [row] = await h.engine().externalTasks.findExternalTasks({ instanceId: pi.id });
    expect(row).toMatchObject({ id: task.id, workerId: 'cadenzaflow-kafka-bridge' });
    await restartNode();
    const skipped = bridge().stats.skipped;
    await answer(task, { outcome: 'complete', variables: { receipt: 'C-J-1' } });
    await answer(task, { outcome: 'complete', variables: { receipt: 'second' } });
    await waitForTask(pi.id, 'charged');
    await eventually(async () => bridge().stats.skipped > skipped, 10_000, 'the second answer to be skipped');
    expect((await h.engine().getVariables(pi.id))['receipt']!.value).toBe('C-J-1');
    expect(await activityRuns(pi.id, 'charged')).toBe(1);
  });

  it('failures reported over Kafka count the retries down, push the task again each time, and end in an incident; given retries back it is pushed again', async () => {
    worker.set('K-1', 'fail');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaPush', businessKey: 'K-1' });
    const [incident] = await eventually(async () => {
      const found = await h.engine().findIncidents({ instanceId: pi.id });
      return found.length ? found : null;
    }, 20_000, 'the incident');
    expect(incident).toMatchObject({ type: 'failedExternalTask', activityId: 'charge', message: 'card service down' });
    const mine = pushed.filter((t) => t.processInstanceId === pi.id);
    expect(mine.map((t) => t.retries)).toEqual([null, 2, 1]);
    expect(mine.map((t) => t.errorMessage)).toEqual([null, 'card service down', 'card service down']);
    worker.set('K-1', 'complete');
    await h.engine().externalTasks.setRetries(mine[0]!.id, 1);
    await waitForTask(pi.id, 'charged');
    expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
  });

  it('a BPMN error reported over Kafka is caught by the error boundary event of the external task', async () => {
    worker.set('L-1', 'decline');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'kafkaPush', businessKey: 'L-1' });
    await waitForTask(pi.id, 'declined');
    expect((await h.engine().getVariables(pi.id))['reason']!.value).toBe('expired');
  });

  it('deployment refuses a kafka connector whose static input is invalid, naming the element and the fields', async () => {
    await expect(h.engine().deploy({ resources: [{ name: 'Kafka.invalidInput.bpmn', content: fixture('Kafka.invalidInput.bpmn') }] })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      problems: [
        expect.objectContaining({ elementId: 'publish', message: expect.stringContaining("camunda:connector 'kafka': input 'topic': a Kafka topic name") }),
        expect.objectContaining({ elementId: 'publish', message: expect.stringContaining("input 'timeout': a positive number of milliseconds or an ISO 8601 duration") }),
        expect.objectContaining({ elementId: 'publish', message: expect.stringContaining("unknown input parameter 'partition'") }),
      ],
    });
  });
}, () => ({
  handlers: {
    'test.SlowStep': async () => {
      await slowStepGate?.();
    },
  },
}));
