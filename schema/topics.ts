/**
 * Turns the engine's domain events (published only after their command
 * committed) into the streams subscriptions read. One engine listener fans out
 * to every open subscription; a subscriber that falls too far behind is ended
 * with an error rather than buffering without bound.
 */
import type { DomainEvent, Engine, InstanceState } from '../engine/index.js';
import { BadUserInputError } from '../engine/index.js';

/** Events a subscriber may have waiting before it is dropped. */
export const MAX_BUFFERED_EVENTS = 1000;

export interface InstanceChangeFilter {
  id?: string | null;
  definitionKey?: string | null;
  businessKey?: string | null;
}

export interface InstanceChangePayload {
  id: string;
  definitionKey: string;
  businessKey: string | null;
  state: InstanceState;
  activeActivityIds: string[];
}

export interface TaskEventFilter {
  assignee?: string | null;
  candidateGroup?: string | null;
}

export type TaskEventKind = 'CREATED' | 'ASSIGNED' | 'COMPLETED' | 'DELETED';

export interface TaskEventPayload {
  kind: TaskEventKind;
  taskId: string;
  name: string | null;
  taskDefinitionKey: string;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  processInstanceId: string;
  time: Date;
}

type TaskDomainEvent = Extract<DomainEvent, { taskId: string; candidateGroups: readonly string[] }>;

const TASK_KINDS: Record<TaskDomainEvent['type'], TaskEventKind> = {
  'task.created': 'CREATED',
  'task.assigned': 'ASSIGNED',
  'task.completed': 'COMPLETED',
  'task.deleted': 'DELETED',
};

/** A bounded async queue read by one subscription. */
class Channel<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: ((r: IteratorResult<T>) => void)[] = [];
  private failed: Error | null = null;
  private done = false;

  constructor(private readonly onClose: () => void) {}

  push(value: T): void {
    if (this.done) return;
    const w = this.waiting.shift();
    if (w) return w({ value, done: false });
    if (this.buffer.length >= MAX_BUFFERED_EVENTS) {
      // What is buffered is stale by now; the subscriber should resubscribe and re-read.
      this.buffer.length = 0;
      return this.fail(new Error(`Subscription dropped: more than ${MAX_BUFFERED_EVENTS} events waiting`));
    }
    this.buffer.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failed) {
      const e = this.failed;
      this.failed = null;
      return Promise.reject(e);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the stream with an error the subscriber sees after what is buffered. */
  fail(error: Error): void {
    if (this.done) return;
    this.failed = error;
    this.close();
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    for (const w of this.waiting.splice(0)) w({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

export class Topics {
  private readonly sinks = new Set<(e: DomainEvent) => void>();
  private readonly channels = new Set<Channel<unknown>>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly engine: Engine) {}

  /** Ends every open subscription and stops listening to the engine. */
  close(): void {
    for (const c of [...this.channels]) c.close();
    this.release();
  }

  /**
   * The engine only builds domain events while somebody listens, so the engine
   * listener exists only while a subscription is open. A command already
   * running when the first subscription opens may therefore go unreported.
   */
  private listen(): void {
    this.unsubscribe ??= this.engine.subscribe((e) => {
      for (const sink of this.sinks) sink(e);
    });
  }

  private release(): void {
    if (this.sinks.size > 0 || !this.unsubscribe) return;
    this.unsubscribe();
    this.unsubscribe = null;
  }

  /** Open subscriptions, for health and metrics. */
  get size(): number {
    return this.channels.size;
  }

  private open<T>(sink: (channel: Channel<T>) => (e: DomainEvent) => void): Channel<T> {
    let listener: ((e: DomainEvent) => void) | null = null;
    const channel: Channel<T> = new Channel<T>(() => {
      if (listener) this.sinks.delete(listener);
      this.channels.delete(channel as Channel<unknown>);
      this.release();
    });
    listener = sink(channel);
    this.sinks.add(listener);
    this.channels.add(channel as Channel<unknown>);
    this.listen();
    return channel;
  }

  /**
   * One change per instance and command: the engine publishes a command's
   * events together, so they are collected until the batch is over and the
   * instance's state is read once.
   */
  instanceChanges(filter: InstanceChangeFilter): AsyncIterableIterator<InstanceChangePayload> {
    if (filter.id == null && filter.definitionKey == null && filter.businessKey == null) {
      throw new BadUserInputError('instanceChanged needs id, definitionKey or businessKey', 'id');
    }
    const matches = (e: Extract<DomainEvent, { instanceId: string }>): boolean =>
      (filter.id == null || e.instanceId === filter.id) &&
      (filter.definitionKey == null || e.definitionKey === filter.definitionKey) &&
      (filter.businessKey == null || e.businessKey === filter.businessKey);
    return this.open<InstanceChangePayload>((channel) => {
      let pending = new Map<string, { definitionKey: string; businessKey: string | null; ended: InstanceState | null }>();
      let chain: Promise<void> = Promise.resolve();
      const flush = (): void => {
        const batch = pending;
        pending = new Map();
        // Chained so changes reach the subscriber in commit order.
        chain = chain.then(async () => {
          for (const [id, p] of batch) {
            const change = await this.snapshot(id, p);
            if (change) channel.push(change);
          }
        }).catch((e: unknown) => channel.fail(e instanceof Error ? e : new Error(String(e))));
      };
      return (e) => {
        if (!(e.type.startsWith('instance.') || e.type.startsWith('activity.'))) return;
        if (!matches(e)) return;
        if (pending.size === 0) queueMicrotask(flush);
        const p = pending.get(e.instanceId) ?? { definitionKey: e.definitionKey, businessKey: e.businessKey, ended: null };
        if (e.type === 'instance.ended') p.ended = e.state;
        pending.set(e.instanceId, p);
      };
    });
  }

  private async snapshot(id: string, p: { definitionKey: string; businessKey: string | null; ended: InstanceState | null }): Promise<InstanceChangePayload | null> {
    const base = { id, definitionKey: p.definitionKey, businessKey: p.businessKey };
    if (p.ended) return { ...base, state: p.ended, activeActivityIds: [] };
    try {
      const running = await this.engine.getProcessInstance(id);
      // Ended by a later command: that command's own change follows.
      if (!running) return null;
      const activeActivityIds = await this.engine.getActiveActivityIds(id);
      return { ...base, state: running.suspended ? 'SUSPENDED' : 'ACTIVE', activeActivityIds };
    } catch (e) {
      if ((e as { code?: string }).code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  taskEvents(filter: TaskEventFilter): AsyncIterableIterator<TaskEventPayload> {
    return this.open<TaskEventPayload>((channel) => (e) => {
      if (!(e.type in TASK_KINDS)) return;
      const t = e as TaskDomainEvent;
      if (filter.assignee != null && t.assignee !== filter.assignee) return;
      if (filter.candidateGroup != null && !t.candidateGroups.includes(filter.candidateGroup)) return;
      channel.push({
        kind: TASK_KINDS[t.type],
        taskId: t.taskId,
        name: t.name,
        taskDefinitionKey: t.taskDefinitionKey,
        assignee: t.assignee,
        candidateUsers: [...t.candidateUsers],
        candidateGroups: [...t.candidateGroups],
        processInstanceId: t.instanceId,
        time: t.time,
      });
    });
  }
}
