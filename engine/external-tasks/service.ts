/**
 * Camunda's ExternalTaskService: workers fetch and lock external tasks of
 * their topics, then complete them, report a failure (retries, retry
 * timeout, an incident when no retries are left) or a BPMN error. Reached as
 * `engine.externalTasks`.
 *
 * Long polling: a fetch that finds nothing waits up to its
 * `asyncResponseTimeout` and answers as soon as a task of one of its topics
 * is created (or unlocked) on this node, and re-checks every
 * `recheckIntervalMs` for tasks other nodes created or whose lock or retry
 * timeout ran out.
 */
import { BadUserInputError, BpmnError, ConflictError, EngineError, NotFoundError } from '../errors.js';
import type { Engine } from '../engine.js';
import type * as S from '../persistence/store.js';
import { completeExternalTask, externalTaskBpmnError } from '../runtime/behaviors/external-task.behavior.js';
import { CommandContext } from '../runtime/command-context.js';
import type { ProcessInstance } from '../runtime/process-instance.js';
import type { ExternalTaskDoc } from '../runtime/state.js';
import { loadValue } from '../variables/convert.js';
import type { TypedValue } from '../variables/typed-value.js';

/** Camunda's limit for `asyncResponseTimeout` (30 minutes). */
export const MAX_ASYNC_RESPONSE_TIMEOUT_MS = 1_800_000;
/** Camunda keeps the first 666 characters of a failure's message. */
const MAX_ERROR_MESSAGE_LENGTH = 666;

/** One topic a worker fetches: the store's topic filters, with Camunda's `lockDuration` and what to return. */
export interface FetchTopic extends Omit<S.ExternalTaskTopicRequest, 'lockDurationMs'> {
  /** Milliseconds the tasks stay locked for the worker (> 0). */
  lockDuration: number;
  /** Variable names to return; absent or null: all visible variables. */
  variables?: string[] | null;
  /** Only the variables local to the task's execution. Default false. */
  localVariables?: boolean;
  /** Return the activity's `camunda:properties`. Default false. */
  includeExtensionProperties?: boolean;
}

export interface FetchAndLockRequest {
  workerId: string;
  maxTasks: number;
  /** Highest priority first. Default false. */
  usePriority?: boolean;
  /** Order by creation time; default oldest first. */
  createTimeOrder?: 'asc' | 'desc';
  topics: FetchTopic[];
  /** Milliseconds to wait for a task when none is available (long polling); default 0, at most 30 minutes. */
  asyncResponseTimeout?: number;
  /** Ends the wait (for example when the HTTP client went away): the fetch answers with what it has, nothing. */
  signal?: AbortSignal;
}

export interface LockedExternalTask extends S.ExternalTaskRow {
  variables: Record<string, TypedValue>;
  extensionProperties: Record<string, string>;
}

export interface ExternalTaskFailure {
  errorMessage?: string | null;
  errorDetails?: string | null;
  /** Retries left (≥ 0); 0 raises a failedExternalTask incident. */
  retries: number;
  /** Milliseconds the task stays unavailable before it may be fetched again. Default 0. */
  retryTimeout?: number;
}

export interface ExternalTaskServiceOptions {
  /** How often a waiting fetch looks for tasks it was not told about (other nodes, expired locks). Default 1000 ms. */
  recheckIntervalMs?: number;
}

interface Waiter {
  topics: ReadonlySet<string>;
  wake(): void;
}

export class ExternalTaskService {
  private readonly waiters = new Set<Waiter>();
  private readonly recheckIntervalMs: number;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    opts: ExternalTaskServiceOptions = {},
  ) {
    this.recheckIntervalMs = opts.recheckIntervalMs ?? 1000;
  }

  private get store(): S.Store {
    return this.engine.store;
  }

  private now(): Date {
    return this.engine.clock.now();
  }

  /** Wakes waiting fetches of these topics; the engine calls it after a commit that created external tasks. */
  tasksAvailable(topics: Iterable<string>): void {
    if (this.waiters.size === 0) return;
    const set = new Set(topics);
    for (const w of [...this.waiters]) {
      for (const t of w.topics) {
        if (set.has(t)) {
          w.wake();
          break;
        }
      }
    }
  }

  /** How many fetches are waiting for tasks right now (tools, tests). */
  get waitingFetches(): number {
    return this.waiters.size;
  }

  /** Ends every waiting fetch (they answer with no tasks); later fetches do not wait. */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w.wake();
  }

  // ------------------------------------------------------------ fetch and lock

  async fetchAndLock(req: FetchAndLockRequest): Promise<LockedExternalTask[]> {
    validateFetch(req);
    // Nothing could ever be handed out: no reason to wait.
    if (req.maxTasks === 0 || req.topics.length === 0) return [];
    const timeout = req.asyncResponseTimeout ?? 0;
    const deadline = Date.now() + timeout;
    for (;;) {
      const tasks = await this.fetchOnce(req);
      if (tasks.length || this.closed || req.signal?.aborted || Date.now() >= deadline) return tasks;
      await this.waitForTasks(req, deadline);
      if (this.closed || req.signal?.aborted) return [];
    }
  }

  private waitForTasks(req: FetchAndLockRequest, deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { topics: new Set(req.topics.map((t) => t.topicName)), wake: () => done() };
      const timer = setTimeout(() => done(), Math.max(0, Math.min(this.recheckIntervalMs, deadline - Date.now())));
      const onAbort = () => done();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  private async fetchOnce(req: FetchAndLockRequest): Promise<LockedExternalTask[]> {
    const topics: S.ExternalTaskTopicRequest[] = req.topics.map((t) => ({
      topicName: t.topicName,
      lockDurationMs: t.lockDuration,
      ...pick(t, ['businessKey', 'processDefinitionId', 'processDefinitionIdIn', 'processDefinitionKey', 'processDefinitionKeyIn', 'processDefinitionVersionTag', 'tenantIdIn', 'withoutTenantId', 'processVariables']),
    }));
    const rows = await this.store.fetchAndLockExternalTasks(req.workerId, this.now(), topics, req.maxTasks, req.usePriority ?? false, req.createTimeOrder ?? 'asc');
    if (!rows.length) return [];
    const ctx = new CommandContext(this.engine.runtimeServices);
    const out: LockedExternalTask[] = [];
    for (const row of rows) {
      const topic = req.topics.find((t) => t.topicName === row.topicName)!;
      let inst: ProcessInstance | null = null;
      try {
        inst = await ctx.loadInstance(row.instanceId);
      } catch (e) {
        // The instance ended since the lock was taken: the row went with it, so there is nothing to hand out.
        if (e instanceof NotFoundError) continue;
        throw e;
      }
      const exec = inst.executions.get(row.executionId);
      if (!exec) continue;
      let variables: Record<string, TypedValue> = {};
      if (topic.localVariables) for (const v of exec.vars) variables[v.name] = loadValue(v.value);
      else variables = Object.fromEntries(ctx.getVariables(inst, exec));
      if (topic.variables) variables = Object.fromEntries(topic.variables.filter((n) => n in variables).map((n) => [n, variables[n]!]));
      const extensionProperties = topic.includeExtensionProperties ? { ...(inst.graph.nodes.get(row.activityId)?.properties ?? {}) } : {};
      out.push({ ...row, variables, extensionProperties });
    }
    return out;
  }

  // ------------------------------------------------------------ worker commands

  /** Completes a task the worker holds; variables go to the process (as `setVariable`), local ones to the task's execution. */
  async complete(id: string, workerId: string, variables: Record<string, unknown> = {}, localVariables: Record<string, unknown> = {}): Promise<void> {
    requireWorker(workerId);
    await this.onTask(id, async (ctx, inst, task, row) => {
      checkWorker(row, workerId, `External Task ${id} cannot be completed by worker '${workerId}`);
      checkActive(inst, id);
      await completeExternalTask(ctx, inst, task, variables, localVariables);
    });
  }

  /**
   * Reports a failure: the task keeps its worker, becomes available again
   * after `retryTimeout`, and with no retries left raises a
   * failedExternalTask incident.
   */
  async handleFailure(id: string, workerId: string, failure: ExternalTaskFailure): Promise<void> {
    requireWorker(workerId);
    const { retries } = failure;
    const retryTimeout = failure.retryTimeout ?? 0;
    if (!Number.isInteger(retries) || retries < 0) throw new EngineError('BAD_USER_INPUT', `retries is not greater than or equal to 0: ${retries}`);
    if (!Number.isFinite(retryTimeout) || retryTimeout < 0) throw new EngineError('BAD_USER_INPUT', `retryDuration is not greater than or equal to 0: ${retryTimeout}`);
    await this.onTask(id, async (ctx, inst, task, row) => {
      checkWorker(row, workerId, `Failure of External Task ${id} cannot be reported by worker '${workerId}`);
      checkActive(inst, id);
      const message = failure.errorMessage ?? null;
      const set: Partial<S.ExternalTaskRow> = {
        errorMessage: message === null ? null : message.slice(0, MAX_ERROR_MESSAGE_LENGTH),
        lockExpiration: new Date(ctx.time().getTime() + retryTimeout),
        retries,
      };
      if (failure.errorDetails !== undefined && failure.errorDetails !== null) set.errorDetails = failure.errorDetails;
      inst.extraMutations.push({ table: 'externalTask', op: 'patch', id, set });
      this.manageIncident(ctx, inst, task, row.retries, retries, set.errorMessage ?? null);
    });
  }

  /** Reports a BPMN error: variables are set, then the error is thrown from the activity (caught by error boundary events). */
  async handleBpmnError(id: string, workerId: string, errorCode: string, errorMessage?: string | null, variables: Record<string, unknown> = {}): Promise<void> {
    requireWorker(workerId);
    if (!errorCode) throw new BadUserInputError('errorCode is null', 'errorCode');
    await this.onTask(id, async (ctx, inst, task, row) => {
      checkWorker(row, workerId, `Bpmn error of External Task ${id} cannot be reported by worker '${workerId}`);
      checkActive(inst, id);
      await externalTaskBpmnError(ctx, inst, task, new BpmnError(errorCode, errorMessage ?? undefined), variables);
    });
  }

  /** Extends the worker's lock to `newDuration` ms from now; an expired lock cannot be extended. */
  async extendLock(id: string, workerId: string, newDuration: number): Promise<void> {
    requireWorker(workerId);
    if (!Number.isFinite(newDuration) || newDuration <= 0) throw new BadUserInputError(`lockTime is not greater than 0: ${newDuration}`, 'newDuration');
    await this.onTask(id, async (ctx, inst, _task, row) => {
      checkWorker(row, workerId, `The lock of the External Task ${id} cannot be extended by worker '${workerId}`);
      const now = ctx.time().getTime();
      if (row.lockExpiration === null || row.lockExpiration.getTime() < now) throw new BadUserInputError('Cannot extend a lock that expired', 'lockExpirationTime');
      inst.extraMutations.push({ table: 'externalTask', op: 'patch', id, set: { lockExpiration: new Date(now + newDuration) } });
    });
  }

  /** Locks one task for the worker (Camunda's `lock`): refused while another worker holds it. */
  async lock(id: string, workerId: string, lockDuration: number): Promise<void> {
    requireWorker(workerId);
    if (!Number.isFinite(lockDuration) || lockDuration <= 0) throw new BadUserInputError(`lockDuration is not greater than 0: ${lockDuration}`, 'lockDuration');
    await this.onTask(id, async (ctx, inst, _task, row) => {
      const now = ctx.time().getTime();
      if (row.workerId !== null && row.workerId !== workerId && row.lockExpiration !== null && row.lockExpiration.getTime() > now) {
        throw new BadUserInputError(`External Task ${id} cannot be locked by worker '${workerId}'. It is locked by worker '${row.workerId}'.`, 'workerId');
      }
      checkActive(inst, id);
      inst.extraMutations.push({ table: 'externalTask', op: 'patch', id, set: { workerId, lockExpiration: new Date(now + lockDuration) } });
    });
  }

  /** Releases the lock (no worker check, as in Camunda). */
  async unlock(id: string): Promise<void> {
    const topic = await this.onTask(id, async (_ctx, inst, task) => {
      inst.extraMutations.push({ table: 'externalTask', op: 'patch', id, set: { workerId: null, lockExpiration: null } });
      return task.topicName;
    });
    this.tasksAvailable([topic]);
  }

  /** Sets the retries; giving retries back to a task without any resolves its incident. */
  async setRetries(id: string, retries: number): Promise<void> {
    if (!Number.isInteger(retries) || retries < 0) throw new BadUserInputError(`The number of retries cannot be negative: ${retries}`, 'retries');
    const topic = await this.onTask(id, async (ctx, inst, task, row) => {
      inst.extraMutations.push({ table: 'externalTask', op: 'patch', id, set: { retries } });
      this.manageIncident(ctx, inst, task, row.retries, retries, row.errorMessage);
      return task.topicName;
    });
    if (retries > 0) this.tasksAvailable([topic]);
  }

  /** Sets the priority (the instance document owns it). */
  async setPriority(id: string, priority: number): Promise<void> {
    if (!Number.isSafeInteger(priority)) throw new BadUserInputError(`The priority must be an integer: ${priority}`, 'priority');
    await this.onTask(id, async (_ctx, _inst, task) => {
      task.priority = priority;
    });
  }

  // ------------------------------------------------------------ queries

  getExternalTask(id: string): Promise<S.ExternalTaskRow | null> {
    return this.store.getExternalTask(id);
  }

  /** The stored error details of the last failure. */
  async getErrorDetails(id: string): Promise<string | null> {
    const row = await this.store.getExternalTask(id);
    if (!row) throw notFound(id);
    return row.errorDetails;
  }

  findExternalTasks(filter: S.ExternalTaskFilter, page?: S.Page, sort?: S.Sorting<S.ExternalTaskSortField>[]): Promise<S.ExternalTaskRow[]> {
    return this.store.findExternalTasks(filter, page, sort);
  }

  countExternalTasks(filter: S.ExternalTaskFilter): Promise<number> {
    return this.store.countExternalTasks(filter);
  }

  /** `locked`/`notLocked` of Camunda's query, at the engine's clock. */
  lockFilter(locked: boolean): Pick<S.ExternalTaskFilter, 'lockedAt' | 'notLockedAt'> {
    return locked ? { lockedAt: this.now() } : { notLockedAt: this.now() };
  }

  // ------------------------------------------------------------ internals

  /**
   * Runs a command on the task's instance with the task's current row (read
   * under the instance's lock, so a worker check sees the latest lock). A
   * concurrent change by another node is retried: the second of two
   * completions then finds the task gone.
   */
  private async onTask<T>(id: string, fn: (ctx: CommandContext, inst: ProcessInstance, task: ExternalTaskDoc, row: S.ExternalTaskRow) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const first = await this.store.getExternalTask(id);
      if (!first) throw notFound(id);
      try {
        return await this.engine.runOnInstance(first.instanceId, null, async (ctx, inst) => {
          const task = inst.externalTasks.get(id);
          const row = task ? await this.store.getExternalTask(id) : null;
          if (!task || !row) throw notFound(id);
          return fn(ctx, inst, task, row);
        });
      } catch (e) {
        if (e instanceof ConflictError && attempt < 3) continue;
        if (e instanceof NotFoundError && !(await this.store.getExternalTask(id))) throw notFound(id);
        throw e;
      }
    }
  }

  private manageIncident(ctx: CommandContext, inst: ProcessInstance, task: ExternalTaskDoc, before: number | null, after: number, message: string | null): void {
    const hadRetries = before === null || before > 0;
    if (hadRetries && after <= 0) {
      const incidentId = ctx.newId();
      inst.incidents.set(incidentId, {
        id: incidentId,
        type: 'failedExternalTask',
        executionId: task.executionId,
        activityId: task.activityId,
        configuration: task.id,
        message,
        annotation: null,
        createTime: ctx.time().getTime(),
      });
    } else if (!hadRetries && after > 0) {
      for (const [incidentId, inc] of inst.incidents) if (inc.type === 'failedExternalTask' && inc.configuration === task.id) inst.incidents.delete(incidentId);
    }
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`Cannot find external task with id ${id}`);
}

function requireWorker(workerId: string): void {
  if (typeof workerId !== 'string' || workerId === '') throw new BadUserInputError('workerId is null', 'workerId');
}

/** Camunda's HandleExternalTaskCmd: only the worker holding the task may report on it. */
function checkWorker(row: S.ExternalTaskRow, workerId: string, prefix: string): void {
  if (row.workerId !== workerId) throw new BadUserInputError(`${prefix}'. It is locked by worker '${row.workerId}'.`, 'workerId');
}

function checkActive(inst: ProcessInstance, id: string): void {
  if (inst.suspended) {
    throw new EngineError('BAD_USER_INPUT', `ExternalTask with id '${id}' is suspended: its process instance '${inst.id}' is suspended`, { camundaType: 'SuspendedEntityInteractionException' });
  }
}

function validateFetch(req: FetchAndLockRequest): void {
  requireWorker(req.workerId);
  if (!Number.isInteger(req.maxTasks) || req.maxTasks < 0) throw new BadUserInputError(`maxTasks is not greater than or equal to 0: ${req.maxTasks}`, 'maxTasks');
  const timeout = req.asyncResponseTimeout ?? 0;
  if (!Number.isFinite(timeout) || timeout < 0) throw new BadUserInputError(`asyncResponseTimeout must not be negative: ${timeout}`, 'asyncResponseTimeout');
  if (timeout > MAX_ASYNC_RESPONSE_TIMEOUT_MS) {
    throw new BadUserInputError(`The asynchronous response timeout cannot be set to a value greater than ${MAX_ASYNC_RESPONSE_TIMEOUT_MS} milliseconds`, 'asyncResponseTimeout');
  }
  for (const t of req.topics) {
    if (typeof t.topicName !== 'string' || t.topicName === '') throw new BadUserInputError('topicName is null', 'topicName');
    if (!Number.isFinite(t.lockDuration) || t.lockDuration <= 0) throw new BadUserInputError(`lockTime is not greater than 0: ${t.lockDuration}`, 'lockDuration');
    for (const [name, value] of Object.entries(t.processVariables ?? {})) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new BadUserInputError(`The process variable filter '${name}' must be a string, number, boolean or null`, 'processVariables');
      }
    }
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}
