/**
 * Turns the engine's domain events (published only after their command
 * committed) into the streams subscriptions read. One engine listener fans out
 * to every open subscription; a subscriber that falls too far behind is ended
 * with an error rather than buffering without bound.
 */
import type { DomainEvent, Engine, InstanceState, TypedValue } from '../engine/index.js';
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
type InstanceDomainEvent = Extract<DomainEvent, { type: `instance.${string}` | `activity.${string}` }>;

const isInstanceEvent = (e: DomainEvent): e is InstanceDomainEvent => e.type.startsWith('instance.') || e.type.startsWith('activity.');

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
  /** Counts the events seen: a batch's last event number names the state every subscriber of it reads. */
  private eventSeq = 0;
  /** Instance state reads in flight, shared by every subscriber of the same change (fan-out costs one read). */
  private readonly snapshots = new Map<string, Promise<InstanceChangePayload | null>>();

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
      this.eventSeq++;
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
  instanceChanges(filter: InstanceChangeFilter, visible: TenantVisibility = everyTenant): AsyncIterableIterator<InstanceChangePayload> {
    if (filter.id == null && filter.definitionKey == null && filter.businessKey == null) {
      throw new BadUserInputError('instanceChanged needs id, definitionKey or businessKey', 'id');
    }
    const matches = (e: Extract<DomainEvent, { instanceId: string }>): boolean =>
      (filter.id == null || e.instanceId === filter.id) &&
      (filter.definitionKey == null || e.definitionKey === filter.definitionKey) &&
      (filter.businessKey == null || e.businessKey === filter.businessKey);
    return this.open<InstanceChangePayload>((channel) => {
      let pending = new Map<string, { definitionKey: string; businessKey: string | null; ended: InstanceState | null; seq: number }>();
      let chain: Promise<void> = Promise.resolve();
      const flush = (): void => {
        const batch = pending;
        pending = new Map();
        // Chained so changes reach the subscriber in commit order.
        chain = chain.then(async () => {
          for (const [id, p] of batch) {
            const change = await this.sharedSnapshot(id, p);
            if (change) channel.push(change);
          }
        }).catch((e: unknown) => channel.fail(e instanceof Error ? e : new Error(String(e))));
      };
      return (e) => {
        if (!isInstanceEvent(e)) return;
        if (!visible(e.tenantId) || !matches(e)) return;
        if (pending.size === 0) queueMicrotask(flush);
        const p = pending.get(e.instanceId) ?? { definitionKey: e.definitionKey, businessKey: e.businessKey, ended: null, seq: 0 };
        if (e.type === 'instance.ended') p.ended = e.state;
        p.seq = this.eventSeq;
        pending.set(e.instanceId, p);
      };
    });
  }

  /**
   * Subscribers of the same change share one read. The key is the number of
   * the instance's last event in the batch, the same for every subscriber; a
   * subscriber that comes to it after the read settled reads afresh.
   */
  private sharedSnapshot(id: string, p: { definitionKey: string; businessKey: string | null; ended: InstanceState | null; seq: number }): Promise<InstanceChangePayload | null> {
    const key = `${p.seq}:${id}`;
    let read = this.snapshots.get(key);
    if (!read) {
      read = this.snapshot(id, p);
      this.snapshots.set(key, read);
      const forget = (): void => void setImmediate(() => this.snapshots.delete(key));
      read.then(forget, forget);
    }
    return read;
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

  taskEvents(filter: TaskEventFilter, visible: TenantVisibility = everyTenant): AsyncIterableIterator<TaskEventPayload> {
    return this.open<TaskEventPayload>((channel) => (e) => {
      if (!(e.type in TASK_KINDS)) return;
      const t = e as TaskDomainEvent;
      if (!visible(t.tenantId)) return;
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

  /** Activities started and ended in matching instances, in commit order. */
  activityEvents(filter: ActivityEventFilter, visible: TenantVisibility = everyTenant): AsyncIterableIterator<ActivityEventPayload> {
    if (filter.processInstanceId == null && filter.definitionKey == null) {
      throw new BadUserInputError('activityEvents needs processInstanceId or definitionKey', 'processInstanceId');
    }
    return this.open<ActivityEventPayload>((channel) => (e) => {
      if (e.type !== 'activity.started' && e.type !== 'activity.ended') return;
      if (!visible(e.tenantId) || !matchesInstance(filter, e)) return;
      if (filter.activityId != null && e.activityId !== filter.activityId) return;
      channel.push({
        kind: e.type === 'activity.started' ? 'STARTED' : e.canceled ? 'CANCELED' : 'COMPLETED',
        activityId: e.activityId,
        activityInstanceId: e.activityInstanceId,
        activityType: e.activityType,
        executionId: e.executionId,
        processInstanceId: e.instanceId,
        definitionKey: e.definitionKey,
        businessKey: e.businessKey,
        time: e.time,
      });
    });
  }

  /** Incidents opened and closed in matching instances (every instance without a filter). */
  incidentEvents(filter: IncidentEventFilter, visible: TenantVisibility = everyTenant): AsyncIterableIterator<IncidentEventPayload> {
    return this.open<IncidentEventPayload>((channel) => (e) => {
      if (e.type !== 'incident.created' && e.type !== 'incident.resolved' && e.type !== 'incident.deleted') return;
      if (!visible(e.tenantId) || !matchesInstance(filter, e)) return;
      channel.push({
        kind: INCIDENT_KINDS[e.type],
        incidentId: e.incidentId,
        incidentType: e.incidentType,
        activityId: e.activityId,
        configuration: e.configuration,
        message: e.message,
        processInstanceId: e.instanceId,
        definitionKey: e.definitionKey,
        time: e.time,
      });
    });
  }

  /** Variables created, updated and deleted in one instance (any scope, task-local ones included). */
  variableEvents(filter: VariableEventFilter, visible: TenantVisibility = everyTenant): AsyncIterableIterator<VariableEventPayload> {
    if (filter.processInstanceId == null) throw new BadUserInputError('variableEvents needs processInstanceId', 'processInstanceId');
    return this.open<VariableEventPayload>((channel) => (e) => {
      if (e.type !== 'variable.created' && e.type !== 'variable.updated' && e.type !== 'variable.deleted') return;
      if (e.instanceId !== filter.processInstanceId || !visible(e.tenantId)) return;
      if (filter.name != null && e.name !== filter.name) return;
      channel.push({
        kind: VARIABLE_KINDS[e.type],
        name: e.name,
        value: e.value,
        executionId: e.executionId,
        taskId: e.taskId,
        processInstanceId: e.instanceId,
        time: e.time,
      });
    });
  }
}

/** Whether a subscriber may see events of a tenant (null: no tenant). */
export type TenantVisibility = (tenantId: string | null) => boolean;
const everyTenant: TenantVisibility = () => true;

function matchesInstance(filter: { processInstanceId?: string | null; definitionKey?: string | null }, e: { instanceId: string; definitionKey: string }): boolean {
  return (filter.processInstanceId == null || e.instanceId === filter.processInstanceId) && (filter.definitionKey == null || e.definitionKey === filter.definitionKey);
}

export interface ActivityEventFilter {
  processInstanceId?: string | null;
  definitionKey?: string | null;
  activityId?: string | null;
}

/** CANCELED: ended without completing (interrupted by a boundary event, instance cancelled). */
export type ActivityEventKind = 'STARTED' | 'COMPLETED' | 'CANCELED';

export interface ActivityEventPayload {
  kind: ActivityEventKind;
  activityId: string;
  activityInstanceId: string;
  activityType: string;
  executionId: string;
  processInstanceId: string;
  definitionKey: string;
  businessKey: string | null;
  time: Date;
}

export interface IncidentEventFilter {
  processInstanceId?: string | null;
  definitionKey?: string | null;
}

export type IncidentEventKind = 'CREATED' | 'RESOLVED' | 'DELETED';

const INCIDENT_KINDS: Record<'incident.created' | 'incident.resolved' | 'incident.deleted', IncidentEventKind> = {
  'incident.created': 'CREATED',
  'incident.resolved': 'RESOLVED',
  'incident.deleted': 'DELETED',
};

export interface IncidentEventPayload {
  kind: IncidentEventKind;
  incidentId: string;
  incidentType: string;
  activityId: string | null;
  configuration: string | null;
  message: string | null;
  processInstanceId: string;
  definitionKey: string;
  time: Date;
}

export interface VariableEventFilter {
  processInstanceId?: string | null;
  name?: string | null;
}

export type VariableEventKind = 'CREATED' | 'UPDATED' | 'DELETED';

const VARIABLE_KINDS: Record<'variable.created' | 'variable.updated' | 'variable.deleted', VariableEventKind> = {
  'variable.created': 'CREATED',
  'variable.updated': 'UPDATED',
  'variable.deleted': 'DELETED',
};

export interface VariableEventPayload {
  kind: VariableEventKind;
  name: string;
  /** Null once deleted. */
  value: TypedValue | null;
  executionId: string;
  taskId: string | null;
  processInstanceId: string;
  time: Date;
}
