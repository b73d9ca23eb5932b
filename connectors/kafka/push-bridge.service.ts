/**
 * Event-driven external tasks: the tasks of the configured external-task
 * topics are pushed to Kafka instead of waiting for workers to poll. The
 * bridge fetches and locks them in its own worker id as soon as they appear
 * (a long-polling fetch, woken by the engine when tasks of its topics are
 * created) and publishes each to its Kafka topic. Workers answer on the
 * answer topic with complete, failure or BPMN error, applied through
 * `engine.externalTasks` with the same lock, retry and incident rules as the
 * REST API. A task whose lock runs out unanswered is fetched and pushed again.
 */
import { EngineError, type Engine } from '../../engine/index.js';
import { sleep, type PluginHost, type PluginService } from '../../plugins/index.js';
import type { IncomingRecord, KafkaClient, RunningConsumer } from './client.js';
import type { KafkaConfig } from './config.js';
import { describeIssues, HEADERS, JSON_CONTENT_TYPE, parseJson, recordWhere, TaskAnswerBody, type PushedTask } from './protocol.js';

type PushConfig = NonNullable<KafkaConfig['push']>;
type LockedTask = Awaited<ReturnType<Engine['externalTasks']['fetchAndLock']>>[number];

/** Refusals no retry changes (task locked by another worker, suspended, bad retries): the answer is dropped, as a REST worker's would be. */
const REFUSED = new Set(['BAD_USER_INPUT', 'EXPRESSION', 'SCRIPT', 'FORBIDDEN']);

function plainValue(v: { value: unknown }): unknown {
  return v.value instanceof Date ? v.value.toISOString() : v.value;
}

export class PushBridgeService implements PluginService {
  readonly name = 'kafka-push';
  private consumer: RunningConsumer | null = null;
  private engine: Engine | null = null;
  private host: PluginHost | null = null;
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly stats = { pushed: 0, applied: 0, skipped: 0 };

  constructor(
    private readonly config: PushConfig,
    private readonly kafka: KafkaConfig,
    private readonly client: () => KafkaClient,
  ) {}

  async start(host: PluginHost): Promise<void> {
    this.engine = host.engine;
    this.host = host;
    this.stopping = new AbortController();
    this.consumer = await this.client().consume({
      groupId: `${this.kafka.groupId}.tasks`,
      topics: [this.config.replyTopic],
      fromBeginning: true,
      concurrency: 16,
      ...this.kafka.consumer,
      handle: (record) => this.answer(record),
    });
    this.loop = this.pushLoop();
  }

  ready(): Promise<void> {
    return this.consumer?.ready ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.loop;
    this.loop = null;
    const c = this.consumer;
    this.consumer = null;
    await c?.stop();
  }

  // ------------------------------------------------------------ pushing

  private async pushLoop(): Promise<void> {
    const engine = this.engine!;
    const log = this.host!.logger;
    const signal = this.stopping.signal;
    let failures = 0;
    while (!signal.aborted) {
      const began = Date.now();
      let tasks: LockedTask[] = [];
      try {
        tasks = await engine.externalTasks.fetchAndLock({
          workerId: this.config.workerId,
          maxTasks: this.config.maxTasks,
          asyncResponseTimeout: this.config.asyncResponseTimeout,
          signal,
          topics: this.config.topics.map((t) => ({
            topicName: t.topicName,
            lockDuration: t.lockDuration,
            variables: t.variables ?? null,
            localVariables: t.localVariables,
            includeExtensionProperties: t.includeExtensionProperties,
          })),
        });
        if (tasks.length) await this.publish(tasks);
        failures = 0;
      } catch (e) {
        failures++;
        log.warn('Kafka push of external tasks failed; trying again', { error: (e as Error).message, tasks: tasks.length });
        // Their lock would keep them from every worker until it expires: release them for the next fetch.
        for (const t of tasks) await engine.externalTasks.unlock(t.id).catch(() => undefined);
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)), signal);
        continue;
      }
      // A fetch that answers at once with nothing (the engine is closing) must not spin.
      if (!tasks.length && Date.now() - began < 50) await sleep(200, signal);
    }
  }

  private async publish(tasks: readonly LockedTask[]): Promise<void> {
    const byKafkaTopic = new Map<string, LockedTask[]>();
    for (const t of tasks) {
      const target = this.config.topics.find((x) => x.topicName === t.topicName)!.kafkaTopic;
      byKafkaTopic.set(target, [...(byKafkaTopic.get(target) ?? []), t]);
    }
    const client = this.client();
    for (const [topic, list] of byKafkaTopic) {
      await client.send(
        topic,
        list.map((t) => ({
          // One instance's tasks stay in order on one partition.
          key: t.instanceId,
          value: JSON.stringify(this.body(t)),
          headers: { [HEADERS.externalTaskId]: t.id, [HEADERS.replyTo]: this.config.replyTopic, [HEADERS.contentType]: JSON_CONTENT_TYPE },
        })),
      );
      this.stats.pushed += list.length;
    }
  }

  private body(t: LockedTask): PushedTask {
    return {
      id: t.id,
      topicName: t.topicName,
      workerId: this.config.workerId,
      lockExpirationTime: t.lockExpiration ? t.lockExpiration.toISOString() : null,
      retries: t.retries,
      priority: t.priority,
      activityId: t.activityId,
      activityInstanceId: t.activityInstanceId,
      processInstanceId: t.instanceId,
      processDefinitionId: t.definitionId,
      processDefinitionKey: t.definitionKey,
      businessKey: t.businessKey,
      tenantId: t.tenantId,
      errorMessage: t.errorMessage,
      variables: Object.fromEntries(Object.entries(t.variables).map(([k, v]) => [k, plainValue(v)])),
      extensionProperties: t.extensionProperties,
      replyTo: this.config.replyTopic,
    };
  }

  // ------------------------------------------------------------ answers

  private async answer(record: IncomingRecord): Promise<void> {
    const engine = this.engine!;
    const log = this.host!.logger;
    const where = recordWhere(record);
    let parsed;
    try {
      parsed = TaskAnswerBody.safeParse(parseJson(record.value, where));
    } catch (e) {
      log.error('Kafka external-task answer skipped', { record: where, error: (e as Error).message });
      this.stats.skipped++;
      return;
    }
    if (!parsed.success) {
      log.error('Kafka external-task answer skipped: not a CadenzaFlow answer', { record: where, error: describeIssues(parsed.error) });
      this.stats.skipped++;
      return;
    }
    const a = parsed.data;
    const taskId = record.headers[HEADERS.externalTaskId] ?? a.taskId;
    if (!taskId) {
      log.error('Kafka external-task answer skipped: it names no task', { record: where, header: HEADERS.externalTaskId });
      this.stats.skipped++;
      return;
    }
    const tasks = engine.externalTasks;
    const worker = this.config.workerId;
    try {
      switch (a.outcome) {
        case 'complete':
          await tasks.complete(taskId, worker, a.variables ?? {}, a.localVariables ?? {});
          break;
        case 'failure': {
          const task = await tasks.getExternalTask(taskId);
          await tasks.handleFailure(taskId, worker, { errorMessage: a.errorMessage ?? null, errorDetails: a.errorDetails ?? null, retries: a.retries, retryTimeout: a.retryTimeout ?? 0 });
          // The engine tells waiting fetches about new tasks only; a task due again is pushed without waiting for the recheck.
          if (task && a.retries > 0) this.wakeAfter(task.topicName, a.retryTimeout ?? 0);
          break;
        }
        case 'bpmnError':
          await tasks.handleBpmnError(taskId, worker, a.errorCode, a.errorMessage ?? null, a.variables ?? {});
          break;
        case 'extendLock':
          await tasks.extendLock(taskId, worker, a.newDuration);
          break;
      }
      this.stats.applied++;
    } catch (e) {
      if (e instanceof EngineError && e.code === 'NOT_FOUND') {
        log.info('Kafka external-task answer skipped: the task is gone (answered before, or its instance moved on)', { record: where, taskId, outcome: a.outcome });
        this.stats.skipped++;
        return;
      }
      if (e instanceof EngineError && REFUSED.has(e.code)) {
        log.warn('Kafka external-task answer refused by the engine', { record: where, taskId, outcome: a.outcome, error: e.message });
        this.stats.skipped++;
        return;
      }
      throw e;
    }
  }

  private wakeAfter(topic: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.engine?.externalTasks.tasksAvailable([topic]);
    }, ms + 1);
    this.timers.add(timer);
  }
}
