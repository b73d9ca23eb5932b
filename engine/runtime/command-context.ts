/**
 * One command's unit of work: the instances it touched, the agenda of
 * operations still to run, the history rows and domain events it produced.
 * Nothing reaches the database until `flush()`, which writes everything in one
 * transaction; if anything fails before, the context is simply dropped.
 */
import { EngineError, NotFoundError } from '../errors.js';
import { HistoryWriter, type VariableHistoryContext } from '../history/history-writer.js';
import type { Mutation } from '../persistence/store.js';
import { loadValue, plainValue, storeValue, toTypedValue } from '../variables/convert.js';
import type { TypedValue } from '../variables/typed-value.js';
import type { DomainEvent } from './events.js';
import { ProcessInstance } from './process-instance.js';
import { reconcileExecutionRefs } from './jobs.js';
import { dropOrphanedEventScopes } from './compensation.js';
import type { RuntimeServices } from './services.js';
import type { ExecutionDoc, StoredVariable, TaskDoc } from './state.js';

/** A named step of the interpreter (Camunda's atomic operations). */
export interface Operation {
  readonly name: string;
  run(): void | Promise<void>;
}

export class CommandContext {
  readonly services: RuntimeServices;
  readonly history: HistoryWriter;
  readonly events: DomainEvent[] = [];
  readonly instances = new Map<string, ProcessInstance>();
  /** Authenticated user of the command, for `camunda:initiator` and `${authenticatedUserId}`. */
  readonly userId: string | null;
  private readonly agenda: Operation[] = [];
  private readonly now: Date;
  /** Finished root instances: their history gets a removal time. */
  private readonly removal = new Map<string, Date>();

  /** False when nobody subscribed: hot paths skip building events. */
  readonly eventsOn: boolean;
  /** Process instance modification's skipCustomListeners: the model's execution and task listeners do not run in this command. */
  skipCustomListeners = false;
  /** Process instance modification's skipIoMappings: activities' input and output mappings are not evaluated in this command. */
  skipIoMappings = false;

  constructor(services: RuntimeServices, userId: string | null = null, eventsOn = true) {
    this.eventsOn = eventsOn;
    this.services = services;
    this.history = new HistoryWriter(services.historyLevel, () => services.newId());
    this.userId = userId;
    this.now = services.clock.now();
  }

  /** The command's time: every timestamp a command writes is the same instant, as in Camunda. */
  time(): Date {
    // Shared, never mutated: rows and events may all hold the same instant.
    return this.now;
  }

  newId(): string {
    return this.services.newId();
  }

  /** Schedules an operation; the agenda is a stack, so the interpreter runs depth first like Camunda's. */
  push(name: string, run: () => void | Promise<void>): void {
    this.agenda.push({ name, run });
  }

  async runAgenda(): Promise<void> {
    // Conditional events may fire after variables changed; each round runs what they started.
    for (let round = 0; round < 100; round++) {
      let op: Operation | undefined;
      while ((op = this.agenda.pop()) !== undefined) {
        const r = op.run();
        if (r !== undefined) await r;
      }
      if (this.openedMessageSubscriptions.length) {
        const { deliverBufferedMessages } = await import('../messages/buffer.js');
        if (await deliverBufferedMessages(this)) continue;
      }
      if (this.variableChanges.size === 0) return;
      const { fireConditionalEvents } = await import('./conditional.js');
      if (!(await fireConditionalEvents(this))) return;
    }
    throw new EngineError('INTERNAL', 'Conditional events kept triggering each other for 100 rounds; stopping the command');
  }

  /**
   * Message subscriptions this command opened, kept only when message
   * buffering is on: a buffered message may be waiting for them (../messages/buffer.ts).
   */
  readonly openedMessageSubscriptions: { instanceId: string; subscriptionId: string }[] = [];
  /** Buffered messages this command consumed or found expired: each is handed out once. */
  readonly consumedBufferedMessages = new Set<string>();
  /**
   * Opened message subscriptions that found no buffered message. A message
   * buffered while this command ran cannot have seen them either, so the
   * engine looks once more after the commit; a command that is itself such a
   * second look clears `recheckBufferedMessages`.
   */
  readonly unmatchedMessageSubscriptions: { instanceId: string; subscriptionId: string }[] = [];
  recheckBufferedMessages = true;

  /** Variable changes of instances that wait for conditional events: instance id → changes. */
  readonly variableChanges = new Map<string, { name: string; event: 'create' | 'update' | 'delete' }[]>();

  private recordChange(inst: ProcessInstance, name: string, event: 'create' | 'update' | 'delete'): void {
    if (inst.subscriptions.size === 0) return;
    let list = this.variableChanges.get(inst.id);
    if (!list) this.variableChanges.set(inst.id, (list = []));
    list.push({ name, event });
  }

  async loadInstance(id: string): Promise<ProcessInstance> {
    const cached = this.instances.get(id);
    if (cached) return cached;
    const row = await this.services.store.getProcessInstance(id);
    if (!row) throw new NotFoundError(`Process instance with id '${id}' does not exist`);
    const { definition, graph } = await this.services.definition(row.definitionId);
    const inst = ProcessInstance.fromRow(row, definition, graph);
    this.instances.set(id, inst);
    return inst;
  }

  addInstance(inst: ProcessInstance): void {
    this.instances.set(inst.id, inst);
  }

  emit(event: DomainEvent): void {
    if (this.eventsOn) this.events.push(event);
  }

  instanceRef(inst: ProcessInstance): { instanceId: string; definitionId: string; definitionKey: string; businessKey: string | null; tenantId: string | null; time: Date } {
    return {
      instanceId: inst.id,
      definitionId: inst.definition.id,
      definitionKey: inst.definition.key,
      businessKey: inst.businessKey,
      tenantId: inst.tenantId,
      time: this.time(),
    };
  }

  markRemoval(inst: ProcessInstance, removalTime: Date): void {
    this.removal.set(inst.id, removalTime);
  }

  /** Signals thrown by throw events; broadcast once the command committed and released its locks. */
  readonly thrownSignals: { name: string; tenantId: string | null }[] = [];

  /** Mutations outside any instance (jobs of timer start events, deployments…). */
  readonly extra: Mutation[] = [];
  /** Earliest due date (ms) of the jobs this command created; the engine wakes its job executor after the commit. */
  jobsDue: number | null = null;

  jobCreated(due: Date | null): void {
    const at = due === null ? 0 : due.getTime();
    if (this.jobsDue === null || at < this.jobsDue) this.jobsDue = at;
  }

  /** Topics of the external tasks this command created; waiting fetches on this node are told after the commit. */
  externalTaskTopics: Set<string> | null = null;

  externalTaskCreated(topicName: string): void {
    (this.externalTaskTopics ??= new Set()).add(topicName);
  }

  mutations(): Mutation[] {
    const out: Mutation[] = [];
    for (const inst of this.instances.values()) {
      dropOrphanedEventScopes(inst);
      reconcileExecutionRefs(inst);
      this.history.incidentsChanged(inst, this.now);
      this.history.jobsChanged(inst, this.now);
    }
    for (const inst of this.instances.values()) inst.mutations(out);
    if (this.removal.size) {
      for (const [id, time] of this.removal) this.history.setRemovalTime(new Set([id]), time);
    }
    this.history.mutations(out);
    out.push(...this.extra);
    return out;
  }

  async flush(): Promise<void> {
    const earlier = await this.removalOfEarlierHistory();
    const m = this.mutations();
    m.push(...earlier);
    if (m.length === 0) return;
    await this.services.commit(m);
  }

  /**
   * Camunda's removal-time strategy "end" stamps the removal time on all the
   * history of a finished instance, not only on what its last command wrote:
   * rows written by earlier commands get it here.
   */
  private async removalOfEarlierHistory(): Promise<Mutation[]> {
    const out: Mutation[] = [];
    if (this.removal.size === 0 || !this.history.activityEnabled) return out;
    const store = this.services.store;
    for (const [instanceId, removalTime] of this.removal) {
      const inst = this.instances.get(instanceId);
      if (!inst || inst.isNew) continue;
      for (const r of await store.findHistoricActivityInstances({ instanceId })) out.push({ table: 'historicActivityInstance', op: 'patch', id: r.id, set: { removalTime } });
      for (const r of await store.findHistoricTaskInstances({ instanceId })) out.push({ table: 'historicTaskInstance', op: 'patch', id: r.id, set: { removalTime } });
      for (const r of await store.findHistoricVariableInstances({ instanceId, includeDeleted: true })) out.push({ table: 'historicVariableInstance', op: 'patch', id: r.id, set: { removalTime } });
      for (const r of await store.findHistoricDetails({ instanceId })) out.push({ table: 'historicDetail', op: 'patch', id: r.id, set: { removalTime } });
      for (const r of await store.findHistoricIncidents({ instanceId })) out.push({ table: 'historicIncident', op: 'patch', id: r.id, set: { removalTime } });
      for (const r of await store.findHistoricJobLogs({ instanceId })) out.push({ table: 'historicJobLog', op: 'patch', id: r.id, set: { removalTime } });
    }
    return out;
  }

  // ---------------------------------------------------------------- variables

  private varHistoryCtx(inst: ProcessInstance, executionId: string, activityInstanceId: string, taskId: string | null): VariableHistoryContext {
    return {
      instanceId: inst.id,
      executionId,
      activityInstanceId,
      taskId,
      definitionId: inst.definition.id,
      definitionKey: inst.definition.key,
      tenantId: inst.tenantId,
    };
  }

  /** Finds a variable in the execution or its ancestors (Camunda's variable scope hierarchy). */
  findVariable(inst: ProcessInstance, exec: ExecutionDoc, name: string): { owner: ExecutionDoc; variable: StoredVariable } | null {
    let cur: ExecutionDoc | null = exec;
    while (cur) {
      for (const v of cur.vars) if (v.name === name) return { owner: cur, variable: v };
      cur = cur.parentId === null ? null : (inst.executions.get(cur.parentId) ?? null);
    }
    return null;
  }

  getVariable(inst: ProcessInstance, exec: ExecutionDoc, name: string): unknown {
    const f = this.findVariable(inst, exec, name);
    return f ? plainValue(loadValue(f.variable.value)) : null;
  }

  getTypedVariable(inst: ProcessInstance, exec: ExecutionDoc, name: string): TypedValue | null {
    const f = this.findVariable(inst, exec, name);
    return f ? loadValue(f.variable.value) : null;
  }

  /** Variables visible from an execution, inner scopes shadowing outer ones. */
  getVariables(inst: ProcessInstance, exec: ExecutionDoc): Map<string, TypedValue> {
    const chain: ExecutionDoc[] = [];
    let cur: ExecutionDoc | null = exec;
    while (cur) {
      chain.push(cur);
      cur = cur.parentId === null ? null : (inst.executions.get(cur.parentId) ?? null);
    }
    const out = new Map<string, TypedValue>();
    for (let i = chain.length - 1; i >= 0; i--) for (const v of chain[i]!.vars) out.set(v.name, loadValue(v.value));
    return out;
  }

  /**
   * Camunda's `setVariable`: updates the variable where it exists in the
   * hierarchy, otherwise creates it on the process instance (the outermost scope).
   */
  setVariable(inst: ProcessInstance, exec: ExecutionDoc, name: string, value: unknown): void {
    const f = this.findVariable(inst, exec, name);
    if (f) this.writeVariable(inst, f.owner, name, value);
    else this.writeVariable(inst, inst.root(), name, value);
  }

  setVariableLocal(inst: ProcessInstance, exec: ExecutionDoc, name: string, value: unknown): void {
    this.writeVariable(inst, exec, name, value);
  }

  private writeVariable(inst: ProcessInstance, owner: ExecutionDoc, name: string, value: unknown): void {
    const aiId = owner.scopeAi ?? owner.activityInstanceId ?? inst.id;
    this.writeInto(inst, owner.vars, name, value, owner.id, aiId, null);
  }

  private writeInto(inst: ProcessInstance, vars: StoredVariable[], name: string, value: unknown, executionId: string, aiId: string, taskId: string | null): void {
    const tv = toTypedValue(value);
    const stored = storeValue(tv);
    const now = this.time();
    const hctx = this.varHistoryCtx(inst, executionId, aiId, taskId);
    const existing = vars.find((v) => v.name === name);
    if (existing) {
      existing.value = stored;
      existing.rev += 1;
      this.history.variableUpdated(existing.id, name, tv, hctx, now, existing.rev);
      this.recordChange(inst, name, 'update');
      this.emit({ type: 'variable.updated', ...this.instanceRef(inst), executionId, taskId, name, value: tv });
    } else {
      const id = this.newId();
      vars.push({ id, name, value: stored, rev: 0, createTime: now.toISOString() });
      this.history.variableCreated(id, name, tv, hctx, now);
      this.recordChange(inst, name, 'create');
      this.emit({ type: 'variable.created', ...this.instanceRef(inst), executionId, taskId, name, value: tv });
    }
  }

  removeVariable(inst: ProcessInstance, exec: ExecutionDoc, name: string): boolean {
    const f = this.findVariable(inst, exec, name);
    if (!f) return false;
    return this.removeVariableLocal(inst, f.owner, name);
  }

  removeVariableLocal(inst: ProcessInstance, exec: ExecutionDoc, name: string): boolean {
    return this.removeFrom(inst, exec.vars, name, exec.id, null);
  }

  private removeFrom(inst: ProcessInstance, vars: StoredVariable[], name: string, executionId: string, taskId: string | null): boolean {
    const i = vars.findIndex((v) => v.name === name);
    if (i < 0) return false;
    const [v] = vars.splice(i, 1);
    this.history.variableDeleted(v!.id);
    this.recordChange(inst, name, 'delete');
    this.emit({ type: 'variable.deleted', ...this.instanceRef(inst), executionId, taskId, name, value: null });
    return true;
  }

  /** Task variables: local ones live on the task, the rest go to its execution (Camunda's TaskEntity). */
  setTaskVariable(inst: ProcessInstance, task: TaskDoc, name: string, value: unknown): void {
    if (task.vars.some((v) => v.name === name)) this.setTaskVariableLocal(inst, task, name, value);
    else this.setVariable(inst, inst.execution(task.executionId), name, value);
  }

  setTaskVariableLocal(inst: ProcessInstance, task: TaskDoc, name: string, value: unknown): void {
    this.writeInto(inst, task.vars, name, value, task.executionId, task.activityInstanceId, task.id);
  }

  removeTaskVariableLocal(inst: ProcessInstance, task: TaskDoc, name: string): boolean {
    return this.removeFrom(inst, task.vars, name, task.executionId, task.id);
  }

  /** Removes every variable of an execution that is going away (history marks them deleted only on explicit removal, as Camunda). */
  dropVariables(exec: ExecutionDoc): void {
    exec.vars = [];
  }
}
