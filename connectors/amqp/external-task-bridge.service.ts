/**
 * Event-driven external tasks: topics configured for push are not polled by
 * workers but published to AMQP queues as soon as they appear. The bridge
 * fetches and locks them with a long-polling fetch (woken by the commit that
 * created them) and publishes each, confirmed by the broker; a task that
 * cannot be published is unlocked for the next round. Workers report on the
 * reply queue, and the bridge applies the report with the same lock, retry
 * and incident rules as the REST API (`complete`, `handleFailure`,
 * `handleBpmnError`, `extendLock`).
 */
import { EngineError, NotFoundError, type Engine } from '../../engine/index.js';
import type { PluginHost, PluginService } from '../../plugins/index.js';
import type { Delivery, QueueSpec } from './client.js';
import type { ExternalTaskPush, PushedTopic } from './config.js';
import { QueueConsumerService, sleep } from './consuming.js';
import { parseJson, workerReply, type WorkerReply } from './replies.js';
import type { AmqpRuntime } from './runtime.js';

/** A task the bridge fetched and locked, with its variables. */
type LockedTask = Awaited<ReturnType<Engine['externalTasks']['fetchAndLock']>>[number];

/** The queue a topic's tasks go to when none is configured. */
export function defaultTopicQueue(topicName: string): string {
  return `cadenzaflow.external-tasks.${topicName}`;
}

/** What a worker receives: Camunda's LockedExternalTaskDto in JSON, with the reply queue to answer on. */
export function taskMessage(task: LockedTask): Record<string, unknown> {
  return {
    id: task.id,
    topicName: task.topicName,
    workerId: task.workerId,
    lockExpirationTime: task.lockExpiration?.toISOString() ?? null,
    retries: task.retries,
    errorMessage: task.errorMessage,
    errorDetails: task.errorDetails,
    priority: task.priority,
    processInstanceId: task.instanceId,
    executionId: task.executionId,
    processDefinitionId: task.definitionId,
    processDefinitionKey: task.definitionKey,
    processDefinitionVersionTag: task.definitionVersionTag,
    activityId: task.activityId,
    activityInstanceId: task.activityInstanceId,
    businessKey: task.businessKey,
    tenantId: task.tenantId,
    createTime: task.createTime.toISOString(),
    variables: task.variables,
    extensionProperties: task.extensionProperties,
  };
}

export class ExternalTaskPushBridge implements PluginService {
  readonly name = 'amqp-external-task-push';
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private host: PluginHost | null = null;
  private readonly topics: Map<string, PushedTopic>;

  constructor(
    private readonly runtime: AmqpRuntime,
    private readonly url: string,
    private readonly cfg: ExternalTaskPush,
    private readonly retryDelayMs: number,
  ) {
    this.topics = new Map(cfg.topics.map((t) => [t.topicName, t]));
  }

  async start(host: PluginHost): Promise<void> {
    this.host = host;
    this.loop = this.run(host);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(host: PluginHost): Promise<void> {
    const signal = this.stopping.signal;
    const client = this.runtime.client(this.url);
    const fetchTopics = this.cfg.topics.map((t) => ({
      topicName: t.topicName,
      lockDuration: t.lockDuration,
      ...(t.variables ? { variables: t.variables } : {}),
      localVariables: t.localVariables,
      includeExtensionProperties: t.includeExtensionProperties,
    }));
    while (!signal.aborted) {
      // No lock is taken while the broker is away: tasks stay free for other nodes.
      const up = await client.ready({ signal }).then(
        () => true,
        () => false,
      );
      if (!up) continue;
      const began = Date.now();
      let tasks: LockedTask[];
      try {
        tasks = await host.engine.externalTasks.fetchAndLock({
          workerId: this.cfg.workerId,
          maxTasks: this.cfg.maxTasks,
          topics: fetchTopics,
          asyncResponseTimeout: this.cfg.pollTimeoutMs,
          signal,
        });
      } catch (e) {
        host.logger.error('External-task push bridge could not fetch tasks', { error: (e as Error).message });
        await sleep(this.retryDelayMs, signal);
        continue;
      }
      // A closed engine answers at once with nothing: do not spin.
      if (tasks.length === 0 && Date.now() - began < 20) await sleep(250, signal);
      await Promise.all(tasks.map((t) => this.push(host.engine, t)));
    }
  }

  private async push(engine: Engine, task: LockedTask): Promise<void> {
    const topic = this.topics.get(task.topicName)!;
    const client = this.runtime.client(this.url);
    const exchange = topic.exchange ?? '';
    const routingKey = topic.exchange ? (topic.routingKey ?? topic.topicName) : (topic.queue ?? defaultTopicQueue(topic.topicName));
    try {
      const signal = this.stopping.signal;
      if (!topic.exchange) await client.assertQueue({ name: routingKey }, signal);
      await client.assertQueue({ name: this.cfg.replyQueue }, signal);
      await client.publish(
        exchange,
        routingKey,
        Buffer.from(JSON.stringify(taskMessage(task))),
        {
          persistent: true,
          contentType: 'application/json',
          correlationId: task.id,
          replyTo: this.cfg.replyQueue,
          messageId: `${task.id}@${task.lockExpiration?.getTime() ?? 0}`,
          type: 'cadenzaflow.externalTask',
        },
        signal,
      );
    } catch (e) {
      this.host?.logger.warn('External task could not be pushed; unlocked for the next round', { taskId: task.id, topicName: task.topicName, error: (e as Error).message });
      await engine.externalTasks.unlock(task.id).catch(() => {});
    }
  }
}

/** Applies the workers' reports on pushed tasks as the bridge's worker. */
export class ExternalTaskReplyConsumer extends QueueConsumerService {
  readonly name = 'amqp-external-task-replies';

  constructor(
    runtime: AmqpRuntime,
    url: string,
    private readonly cfg: ExternalTaskPush,
    options: { prefetch: number; retryDelayMs: number },
  ) {
    super(() => runtime.client(url), options.retryDelayMs, options.prefetch);
  }

  protected queue(): QueueSpec {
    return { name: this.cfg.replyQueue };
  }

  protected async handle(d: Delivery): Promise<void> {
    const parsed = parseJson(workerReply, d.body);
    const taskId = d.properties.correlationId ?? (parsed.ok ? parsed.value.taskId : undefined);
    if (!parsed.ok || !taskId) {
      this.log.warn('External-task report rejected: it is not a valid report', { queue: this.cfg.replyQueue, taskId, problem: parsed.ok ? 'no correlationId (or taskId) names the task' : parsed.problem });
      d.nack(false);
      return;
    }
    try {
      await this.apply(taskId, parsed.value);
    } catch (e) {
      if (e instanceof NotFoundError) {
        // Completed already (a duplicate report), or its instance ended: nothing left to report on.
        this.log.info('External-task report for a task that no longer exists acknowledged and skipped', { taskId, status: parsed.value.status });
        d.ack();
        return;
      }
      if (e instanceof EngineError && e.code === 'BAD_USER_INPUT') {
        this.log.warn('External-task report refused by the engine', { taskId, status: parsed.value.status, error: e.message });
        d.nack(false);
        return;
      }
      throw e;
    }
    d.ack();
  }

  private apply(taskId: string, r: WorkerReply): Promise<void> {
    const tasks = this.engine.externalTasks;
    const worker = this.cfg.workerId;
    switch (r.status) {
      case 'complete':
        return tasks.complete(taskId, worker, r.variables ?? {}, r.localVariables ?? {});
      case 'failure':
        return tasks.handleFailure(taskId, worker, {
          errorMessage: r.errorMessage ?? null,
          errorDetails: r.errorDetails ?? null,
          retries: r.retries,
          retryTimeout: r.retryTimeout ?? 0,
        });
      case 'bpmnError':
        return tasks.handleBpmnError(taskId, worker, r.errorCode, r.errorMessage ?? null, r.variables ?? {});
      case 'extendLock':
        return tasks.extendLock(taskId, worker, r.newDuration);
    }
  }
}
