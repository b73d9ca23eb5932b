/**
 * The engine API: what the gateway (GraphQL and REST), the CLI and plugins sit
 * on. Every command runs in memory until all affected executions reach a wait
 * state, then commits in one transaction; commands on one process instance
 * hierarchy are serialized within this node, and optimistic locking guards
 * against other nodes.
 */
import { uuidv7 } from './ids.js';
import { BadUserInputError, ConflictError, ConnectorError, EngineError, NotFoundError } from './errors.js';
import type { ConnectorLogger, EngineConnector, PendingOutcome } from './connectors/contract.js';
import { ConnectorRegistry, SILENT_LOGGER } from './connectors/registry.js';
import type { ResiliencePolicy } from './connectors/resilience.js';
import { environmentSecrets, type SecretSource } from './connectors/secrets.js';
import { JobExecutor, type JobExecutorOptions } from './jobs/job-executor.js';
import { ExternalTaskService } from './external-tasks/service.js';
import { executeDefinitionJob, executeJobHandler, failureDetails, timerStartJobRow } from './jobs/handlers/index.js';
import { addDuration, firstDue, parseRetryCycle } from './jobs/timer.js';
import { JOB_TYPES } from './runtime/jobs.js';
import { deliver } from './runtime/subscriptions.js';
import { equalityConditions, mismatch, tenantMatches, type BroadcastSignalInput, type CorrelateMessageInput, type CorrelationResult, type MessagePublication } from './messages/correlation.js';
import { bufferedMessageRow, decodeBufferedMessage, EXPIRED_PURGE_BATCH, expiryOf, missedBufferedMessages, type BufferedMessage, type MessageBuffering, type TimeToLive } from './messages/buffer.js';
import { ExpressionManager, UNRESOLVED, type ExpressionFunction } from './expressions/index.js';
import type { HistoryLevel } from './history/history-level.js';
import { HistoryWriter } from './history/history-writer.js';
import { incidentChanges } from './history/incident-changes.js';
import type { ProcessGraph } from './model/graph.js';
import { parseBpmn } from './model/index.js';
import { createStore, type StoreConfig } from './persistence/index.js';
import type * as S from './persistence/store.js';
import { GroupCommitter } from './persistence/group-commit.js';
import { deploy, type DeployInput, type DeploymentResult } from './repository/deployer.js';
import { activityInstanceTree, type ActivityInstance } from './runtime/activity-instance-tree.js';
import { behaviorFor } from './runtime/behaviors/index.js';
import { CommandContext } from './runtime/command-context.js';
import { DelegateTask } from './runtime/delegate.js';
import { fireTaskListeners } from './runtime/evaluation.js';
import { EventBus, type DomainEvent, type DomainEventListener } from './runtime/events.js';
import type { IncidentDoc } from './runtime/state.js';
import { activityType, cancelInstance } from './runtime/operations.js';
import { ProcessInstance } from './runtime/process-instance.js';
import type { CommittedEventBus } from './persistence/event-bus.js';
import { fromBusMessages, toBusMessage } from './shared-events.js';
import { ENGINE_VERSION } from './version.js';
import type { Clock, DeployedProcess, ExecutionHandler, HandlerRegistry, RuntimeServices } from './runtime/services.js';
import { createInstance, startInstance } from './runtime/start.js';
import { modifyInstance, type ModificationOptions, type StartInstruction } from './runtime/modification.js';
import { jobDefinitionsOf, matchesJobDefinition, type JobDefinition } from './repository/job-definitions.js';
import {
  jobsOfSelectedJobDefinitions,
  selectedJobDefinitions,
  selectedJobs,
  type JobDefinitionQuery,
  type JobDefinitionSuspensionSelector,
  type JobSuspensionSelector,
} from './jobs/suspension.js';
import { conditionalStartEvents, matchingStartEvents, type ConditionalStartMatch, type EvaluateConditionsInput } from './runtime/conditional-start.js';
import { deleteTask, emitTask } from './runtime/behaviors/user-task.behavior.js';
import { createScriptRunner, type ScriptLimits, type ScriptRunner } from './script/index.js';
import { loadValue, toTypedValue } from './variables/convert.js';
import type { TypedValue } from './variables/typed-value.js';
import type { UserTaskNode } from './model/graph.js';

export interface EngineOptions {
  /** An open store; otherwise one is created from `storeConfig` (default: embedded in ./data). */
  store?: S.Store;
  storeConfig?: StoreConfig;
  /** Injectable clock (tests drive timers and timestamps with it). */
  clock?: Clock;
  /** Default 'full', as Camunda's distributions. */
  historyLevel?: HistoryLevel;
  /** `camunda:class` handlers and beans by name. */
  handlers?: Record<string, ExecutionHandler>;
  beans?: Record<string, unknown>;
  /** Extra expression functions, e.g. `{ 'fmt': (d) => ... }`. */
  functions?: Record<string, ExpressionFunction>;
  scriptLimits?: ScriptLimits;
  /** How long another node's new deployment may stay unseen by start-by-key here. Default 1000 ms. */
  definitionCacheTtlMs?: number;
  /** Upload cap per BPMN resource, default 10 MiB. */
  maxResourceBytes?: number;
  /** Connectors for `camunda:connector` (built-in ones and plugins'), by id. */
  connectors?: readonly EngineConnector[];
  /** Engine-wide resilience defaults of connector calls (activities override them with `camunda:properties`). */
  connectorPolicy?: Partial<ResiliencePolicy>;
  /** Where `{{secrets.NAME}}` in connector inputs come from; default `CADENZAFLOW_SECRET_<NAME>` environment variables. */
  secrets?: SecretSource;
  /** Where connectors log; default silent. */
  connectorLogger?: ConnectorLogger;
  /**
   * Opt-in message buffering (Zeebe's, which Camunda 7 does not have): a
   * correlation that matches nothing is kept for a time to live instead of
   * failing, and the first matching subscription an instance opens before it
   * expires receives it (see `publishMessage`). `defaultTtl` (an ISO-8601
   * duration such as 'PT1M', or milliseconds) applies to every correlation;
   * without it only correlations with their own `timeToLive` are buffered.
   * Give every node sharing a database the same setting. Default: off.
   */
  messageBuffering?: { defaultTtl?: TimeToLive };
}

export interface StartInput {
  processDefinitionKey?: string;
  processDefinitionId?: string;
  businessKey?: string | null;
  tenantId?: string | null;
  /** Process variables, set on the instance before anything runs. */
  variables?: Record<string, unknown>;
  /** Shorthand for `startInstructions` that start before each of these activities. */
  startBeforeActivityIds?: string[];
  /**
   * Start at any set of activities instead of the none start event (Camunda's
   * ProcessInstantiationBuilder): run in order, each to its wait states, in the
   * start's one transaction; the scopes above an activity are instantiated
   * without running their start events. A refused instruction fails the whole start.
   */
  startInstructions?: StartInstruction[];
  /** With start instructions only: the model's execution and task listeners do not run in the start command. Default false. */
  skipCustomListeners?: boolean;
  /** With start instructions only: input and output mappings are not evaluated in the start command. Default false. */
  skipIoMappings?: boolean;
  userId?: string | null;
  withVariablesInReturn?: boolean;
}

export interface ProcessInstanceResult {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  ended: boolean;
  suspended: boolean;
  /** How it ended when `ended` (COMPLETED, INTERNALLY_TERMINATED, …). */
  endState?: S.InstanceState | null;
  variables?: Record<string, TypedValue>;
}

export type ProcessInstanceInfo = Omit<S.ProcessInstanceRow, 'doc' | 'rev'>;

function stripDoc(row: S.ProcessInstanceRow): ProcessInstanceInfo {
  const { doc: _doc, rev: _rev, ...rest } = row;
  return rest;
}

function jobRef(row: S.JobRow, businessKey: string | null, time: Date) {
  return {
    jobId: row.id,
    jobType: row.type,
    activityId: row.activityId,
    instanceId: row.instanceId,
    definitionId: row.definitionId,
    definitionKey: row.definitionKey,
    businessKey,
    tenantId: row.tenantId,
    time,
  };
}

class Registry implements HandlerRegistry {
  readonly handlers = new Map<string, ExecutionHandler>();
  readonly beans = new Map<string, unknown>();
  handler(name: string): ExecutionHandler | undefined {
    return this.handlers.get(name);
  }
  bean(name: string): unknown {
    return this.beans.get(name);
  }
  hasBean(name: string): boolean {
    return this.beans.has(name);
  }
}

export class Engine {
  readonly store: S.Store;
  readonly clock: Clock;
  readonly historyLevel: HistoryLevel;
  private readonly bus = new EventBus();
  private readonly registry = new Registry();
  private readonly expressions: ExpressionManager;
  private readonly graphs = new Map<string, DeployedProcess>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly roots = new Map<string, string>();
  private readonly latestByKey = new Map<string, { deployed: DeployedProcess; until: number }>();
  private readonly definitionCacheTtlMs: number;
  private scriptRunner: Promise<ScriptRunner> | null = null;
  private jobExecutor: JobExecutor | null = null;
  private externalTaskService: ExternalTaskService | null = null;
  private jobErrorListener: ((e: unknown) => void) | null = null;
  /** Set by `shareEvents()`: the bus to the other nodes on the same database. */
  private shared: { bus: CommittedEventBus; stop: () => void } | null = null;
  private readonly services: RuntimeServices;
  /** Connectors by id; plugins register theirs before the first deployment. */
  readonly connectors: ConnectorRegistry;
  private readonly deployHooks: ((input: Readonly<DeployInput>) => void | Promise<void>)[] = [];
  private readonly maxResourceBytes: number;
  private readonly messageBuffering: MessageBuffering | null;
  private readonly ownsStore: boolean;

  private constructor(store: S.Store, opts: EngineOptions, ownsStore: boolean) {
    this.store = store;
    this.ownsStore = ownsStore;
    this.clock = opts.clock ?? { now: () => new Date() };
    this.historyLevel = opts.historyLevel ?? 'full';
    this.maxResourceBytes = opts.maxResourceBytes ?? 10 * 1024 * 1024;
    this.messageBuffering = opts.messageBuffering ? { defaultTtl: opts.messageBuffering.defaultTtl ?? null } : null;
    this.definitionCacheTtlMs = opts.definitionCacheTtlMs ?? 1000;
    this.expressions = new ExpressionManager(opts.functions ?? {}, { clock: () => this.clock.now() });
    for (const [k, v] of Object.entries(opts.handlers ?? {})) this.registry.handlers.set(k, v);
    for (const [k, v] of Object.entries(opts.beans ?? {})) this.registry.beans.set(k, v);
    const limits = opts.scriptLimits;
    this.connectors = new ConnectorRegistry(opts.connectors ?? [], opts.connectorPolicy ?? {}, opts.secrets ?? environmentSecrets(), opts.connectorLogger ?? SILENT_LOGGER);
    const committer = new GroupCommitter(store, { maxInFlight: store.kind === 'postgres' ? 2 : 1 });
    this.services = {
      store,
      commit: (m) => committer.commit(m),
      clock: this.clock,
      expressions: this.expressions,
      scripts: () => (this.scriptRunner ??= createScriptRunner(limits)),
      handlers: this.registry,
      historyLevel: this.historyLevel,
      definition: (id) => this.deployed(id),
      latestDefinition: (key, tenant) => this.latest(key, tenant),
      definitionByVersion: async (key, v, tenant) => this.cached(await store.getProcessDefinitionByVersion(key, v, tenant)),
      definitionByVersionTag: async (key, tag, tenant) => this.cached(await store.getProcessDefinitionByVersionTag(key, tag, tenant)),
      definitionInDeployment: async (key, dep) => this.cached(await store.getProcessDefinitionInDeployment(key, dep)),
      resource: async (dep, name) => (await store.getResource(dep, name))?.content ?? null,
      newId: () => uuidv7(),
      connectors: this.connectors,
      ...(this.messageBuffering ? { messageBuffering: this.messageBuffering } : {}),
    };
  }

  static async create(opts: EngineOptions = {}): Promise<Engine> {
    const store = opts.store ?? (await createStore(opts.storeConfig ?? {}));
    return new Engine(store, opts, opts.store === undefined);
  }

  async close(): Promise<void> {
    this.shared?.stop();
    this.shared = null;
    this.connectors.close();
    this.externalTaskService?.close();
    await this.stopJobExecutor();
    if (this.scriptRunner) (await this.scriptRunner).close();
    if (this.ownsStore) await this.store.close();
  }

  // ------------------------------------------------------------ registry

  /** Registers a handler for `camunda:class="name"` (and as a bean for `${name}` delegate expressions). */
  registerHandler(name: string, handler: ExecutionHandler): void {
    this.registry.handlers.set(name, handler);
  }

  /** Registers a bean visible to expressions and delegate expressions. */
  registerBean(name: string, bean: unknown): void {
    this.registry.beans.set(name, bean);
  }

  registerFunction(name: string, fn: ExpressionFunction): void {
    this.expressions.registerFunction(name, fn);
  }

  /**
   * Follows domain events; they arrive only after their command committed.
   * After `shareEvents()`, the events other nodes committed arrive too.
   */
  subscribe(listener: DomainEventListener): () => void {
    return this.bus.subscribe(listener);
  }

  /**
   * Shares committed domain events with every node on the same PostgreSQL
   * schema: this node publishes what it commits (compact, through the store's
   * committed-events bus) and its `subscribe` listeners also receive what the
   * others commit. Every node whose commands should be seen elsewhere calls
   * it (the GraphQL gateway does). Resolves once this node listens. A no-op
   * on the embedded store, which one node owns alone.
   */
  async shareEvents(): Promise<void> {
    if (this.shared || !this.store.committedEventBus) return;
    const bus = this.store.committedEventBus();
    let chain: Promise<void> = Promise.resolve();
    const stop = bus.subscribe((messages) => {
      // Chained: another node's events reach listeners in its commit order, values fetched where needed.
      chain = chain.then(async () => this.bus.publish(await fromBusMessages(messages, this.store)));
    });
    this.shared = { bus, stop };
    await bus.ready();
  }

  /** Commands build domain events only when someone on this node listens or other nodes are told. */
  private get eventsOn(): boolean {
    return this.bus.hasListeners || this.shared !== null;
  }

  // ------------------------------------------------------------ definitions

  private async deployed(id: string): Promise<DeployedProcess> {
    const hit = this.graphs.get(id);
    if (hit) return hit;
    const row = await this.store.getProcessDefinition(id);
    if (!row) throw new NotFoundError(`No process definition found with id '${id}'`);
    const d = await this.compileStored(row);
    return d;
  }

  /**
   * The latest version of a key. Deployments and suspensions made through this
   * node are seen at once; those made by other nodes after at most
   * `definitionCacheTtlMs` (Camunda's deployment cache has the same trade-off).
   */
  private async latest(key: string, tenantId: string | null): Promise<DeployedProcess | null> {
    const cacheKey = tenantId === null ? key : `${key}\u0000${tenantId}`;
    const hit = this.latestByKey.get(cacheKey);
    const now = Date.now();
    if (hit && hit.until > now) return hit.deployed;
    const deployed = await this.cached(await this.store.getLatestProcessDefinition(key, tenantId));
    if (deployed) this.latestByKey.set(cacheKey, { deployed, until: now + this.definitionCacheTtlMs });
    return deployed;
  }

  private async cached(row: S.ProcessDefinitionRow | null): Promise<DeployedProcess | null> {
    if (!row) return null;
    const hit = this.graphs.get(row.id);
    if (hit) {
      // Suspension state may have changed; the row is fresher than the cache.
      hit.definition = row;
      return hit;
    }
    return this.compileStored(row);
  }

  private async compileStored(row: S.ProcessDefinitionRow): Promise<DeployedProcess> {
    const res = await this.store.getResource(row.deploymentId, row.resourceName);
    if (!res) throw new NotFoundError(`The BPMN resource '${row.resourceName}' of process definition '${row.id}' is missing`);
    const compiled = await parseBpmn(res.content, { resourceName: row.resourceName, maxBytes: Number.MAX_SAFE_INTEGER });
    const graph = compiled.processes.find((p) => p.id === row.key);
    if (!graph) throw new NotFoundError(`Process '${row.key}' is missing from resource '${row.resourceName}'`);
    const d = { definition: row, graph };
    this.graphs.set(row.id, d);
    return d;
  }

  async getProcessGraph(definitionId: string): Promise<ProcessGraph> {
    return (await this.deployed(definitionId)).graph;
  }

  /** Runs before every deployment is parsed (plugins' processWillDeploy); a hook that throws refuses the deployment. */
  addDeployHook(hook: (input: Readonly<DeployInput>) => void | Promise<void>): void {
    this.deployHooks.push(hook);
  }

  async deploy(input: DeployInput): Promise<DeploymentResult> {
    for (const hook of this.deployHooks) await hook(input);
    return deploy(
      {
        store: this.store,
        clock: this.clock,
        maxResourceBytes: this.maxResourceBytes,
        isHandlerKnown: (name) => this.registry.handlers.has(name) || this.registry.beans.has(name),
        checkConnector: (id, input, dynamic) => {
          const c = this.connectors.get(id);
          if (!c) return [`no connector '${id}' is registered (known: ${this.connectors.ids().join(', ') || 'none'})`];
          return c.validateStatic?.(input, dynamic) ?? [];
        },
        withDefinition: (row, graph) => this.startTriggers(row, graph),
        onDefinition: (row, graph) => {
          this.graphs.set(row.id, { definition: row, graph });
          this.latestByKey.clear();
        },
      },
      input,
    );
  }

  /**
   * Deletes a deployment with its definitions and resources. Running instances
   * of its definitions block it unless `cascade` (then they are cancelled).
   * When the newest version of a key goes, the version before it gets its start
   * triggers (timers, message and signal start events) back. History stays.
   */
  async deleteDeployment(deploymentId: string, opts: { cascade?: boolean } = {}): Promise<void> {
    const dep = await this.store.getDeployment(deploymentId);
    if (!dep) throw new NotFoundError(`Deployment with id '${deploymentId}' does not exist`);
    const defs = await this.store.findProcessDefinitions({ deploymentId });
    for (const def of defs) {
      const running = await this.store.findProcessInstances({ definitionId: def.id });
      if (running.length && !opts.cascade) {
        throw new BadUserInputError(`Deletion of process definition without cascading failed: ${running.length} process instance(s) of '${def.id}' are still running`, 'cascade');
      }
      for (const pi of running.filter((r) => r.superInstanceId === null)) await this.deleteProcessInstance(pi.id, 'deployment deleted');
      for (const pi of await this.store.findProcessInstances({ definitionId: def.id })) await this.deleteProcessInstance(pi.id, 'deployment deleted');
    }
    const mutations: S.Mutation[] = [];
    const ids = new Set(defs.map((d) => d.id));
    const history = new HistoryWriter(this.historyLevel, () => this.services.newId());
    for (const job of await this.store.findJobs({ type: JOB_TYPES.timerStartEvent })) {
      if (!job.definitionId || !ids.has(job.definitionId)) continue;
      mutations.push({ table: 'job', op: 'delete', id: job.id });
      await this.logDefinitionJobDeleted(history, job, this.clock.now());
    }
    history.mutations(mutations);
    for (const sub of await this.store.findEventSubscriptions({ startEventsOnly: true })) if (sub.definitionId && ids.has(sub.definitionId)) mutations.push({ table: 'eventSubscription', op: 'delete', id: sub.id });
    for (const def of defs) mutations.push({ table: 'processDefinition', op: 'delete', id: def.id });
    for (const res of await this.store.getResources(deploymentId)) mutations.push({ table: 'resource', op: 'delete', id: res.id });
    mutations.push({ table: 'deployment', op: 'delete', id: deploymentId });
    // The version before a deleted latest one takes over its start triggers.
    for (const def of defs) {
      const latest = (await this.store.findProcessDefinitions({ key: def.key }, {}, [{ by: 'version', order: 'desc' }])).filter((d) => d.tenantId === def.tenantId && !ids.has(d.id));
      const prev = latest[0];
      if (prev && prev.version < def.version && (await this.store.getLatestProcessDefinition(def.key, def.tenantId))?.id === def.id) {
        const d = await this.deployed(prev.id);
        // Only what it adds: the jobs it would delete (and their log entries) are this deletion's own.
        mutations.push(...(await this.startTriggers(prev, d.graph)).filter((m) => m.op === 'insert' && !(m.table === 'historicJobLog' && m.row.state === 'deleted')));
      }
    }
    await this.store.commit(mutations);
    await this.store.deleteJobDefinitionStates([...ids]);
    for (const id of ids) this.graphs.delete(id);
    this.latestByKey.clear();
  }

  // ------------------------------------------------------------ commands

  private async serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private async rootOf(instanceId: string): Promise<string> {
    const hit = this.roots.get(instanceId);
    if (hit) return hit;
    const row = await this.store.getProcessInstance(instanceId);
    if (!row) throw new NotFoundError(`Process instance with id '${instanceId}' does not exist`);
    if (this.roots.size > 100_000) this.roots.clear();
    this.roots.set(instanceId, row.rootInstanceId);
    return row.rootInstanceId;
  }

  /** Runs a command on an existing instance: lock its hierarchy, run, flush, publish. */
  private async onInstance<T>(instanceId: string, userId: string | null, fn: (ctx: CommandContext, inst: ProcessInstance) => Promise<T>): Promise<T> {
    const root = await this.rootOf(instanceId);
    const { result, ctx } = await this.serialized(root, async () => {
      const ctx = new CommandContext(this.services, userId, this.eventsOn);
      const inst = await ctx.loadInstance(instanceId);
      const result = await fn(ctx, inst);
      await ctx.runAgenda();
      await ctx.flush();
      this.afterCommit(ctx);
      return { result, ctx };
    });
    await this.afterRelease(ctx);
    return result;
  }

  /** Signals thrown by the command reach their catchers once its locks are released (each catcher in its own command). */
  private async afterRelease(ctx: CommandContext): Promise<void> {
    for (const s of ctx.thrownSignals) await this.broadcastSignal({ signalName: s.name, tenantId: s.tenantId, userId: ctx.userId });
    if (ctx.unmatchedMessageSubscriptions.length) await this.handOverMissedMessages(ctx);
  }

  /**
   * Message buffering: a message buffered while the command ran may have
   * missed the subscriptions it opened (each side looked before the other
   * committed); now that both are committed, such a subscription gets it, in
   * a command of its own that does not look again.
   */
  private async handOverMissedMessages(ctx: CommandContext): Promise<void> {
    for (const [instanceId, subscriptionIds] of await missedBufferedMessages(ctx)) {
      await this.onInstance(instanceId, ctx.userId, async (again, inst) => {
        again.recheckBufferedMessages = false;
        for (const id of subscriptionIds) if (inst.subscriptions.has(id)) again.openedMessageSubscriptions.push({ instanceId, subscriptionId: id });
      }).catch((e: unknown) => {
        // The instance moved on or ended, or another command took the message: nothing is missed any more.
        if (e instanceof ConflictError || e instanceof NotFoundError) return;
        throw e;
      });
    }
  }

  /**
   * Runs a command on one process instance (serialized with every other
   * command on its hierarchy, committed in one transaction, events published
   * after the commit). For engine modules such as external tasks; not for
   * gateway code.
   * @internal
   */
  runOnInstance<T>(instanceId: string, userId: string | null, fn: (ctx: CommandContext, inst: ProcessInstance) => Promise<T>): Promise<T> {
    return this.onInstance(instanceId, userId, fn);
  }

  /** The runtime collaborators (store, clock, expressions, ids…). @internal */
  get runtimeServices(): RuntimeServices {
    return this.services;
  }

  /** Publishes the command's events and wakes the job executor for jobs that are due. */
  private afterCommit(ctx: CommandContext): void {
    if (ctx.eventsOn) {
      const events = incidentEvents(ctx);
      this.bus.publish(events);
      if (this.shared && events.length) this.shared.bus.publish(events.map(toBusMessage));
    }
    if (ctx.jobsDue !== null && ctx.jobsDue <= this.clock.now().getTime()) this.jobExecutor?.wake();
    if (ctx.externalTaskTopics) this.externalTaskService?.tasksAvailable(ctx.externalTaskTopics);
  }

  /** Camunda's ExternalTaskService: fetch and lock, complete, failures, BPMN errors, queries. */
  get externalTasks(): ExternalTaskService {
    return (this.externalTaskService ??= new ExternalTaskService(this));
  }

  async startProcessInstance(input: StartInput): Promise<ProcessInstanceResult> {
    let deployed: DeployedProcess | null;
    if (input.processDefinitionId) deployed = await this.deployed(input.processDefinitionId);
    else if (input.processDefinitionKey) {
      deployed = await this.latest(input.processDefinitionKey, input.tenantId ?? null);
      if (!deployed) throw new NotFoundError(`No processes deployed with key '${input.processDefinitionKey}'`);
    } else throw new BadUserInputError('Either processDefinitionKey or processDefinitionId is required', 'processDefinitionKey');
    const ctx = new CommandContext(this.services, input.userId ?? null, this.eventsOn);
    const inst = createInstance(ctx, deployed, { businessKey: input.businessKey ?? null });
    await startInstance(ctx, inst, input.variables ?? {}, {
      ...(input.startBeforeActivityIds ? { startBefore: input.startBeforeActivityIds } : {}),
      ...(input.startInstructions ? { instructions: input.startInstructions } : {}),
      skipCustomListeners: input.skipCustomListeners === true,
      skipIoMappings: input.skipIoMappings === true,
    });
    // A brand-new instance is invisible to others until committed, so it needs no lock.
    await ctx.runAgenda();
    const variables = input.withVariablesInReturn ? variablesOf(ctx, inst) : undefined;
    await ctx.flush();
    this.afterCommit(ctx);
    if (!inst.ended) this.roots.set(inst.id, inst.rootInstanceId);
    await this.afterRelease(ctx);
    return {
      id: inst.id,
      definitionId: inst.definition.id,
      definitionKey: inst.definition.key,
      businessKey: inst.businessKey,
      tenantId: inst.tenantId,
      ended: inst.ended,
      endState: inst.endState,
      suspended: false,
      ...(variables ? { variables } : {}),
    };
  }

  private async taskCommand<T>(taskId: string, userId: string | null, fn: (ctx: CommandContext, inst: ProcessInstance, task: NonNullable<ReturnType<ProcessInstance['tasks']['get']>>) => Promise<T>): Promise<T> {
    const row = await this.store.getTask(taskId);
    if (!row) throw new NotFoundError(`Cannot find task with id ${taskId}`);
    return this.onInstance(row.instanceId, userId, async (ctx, inst) => {
      const task = inst.tasks.get(taskId);
      if (!task) throw new NotFoundError(`Cannot find task with id ${taskId}`);
      return fn(ctx, inst, task);
    });
  }

  private checkActive(inst: ProcessInstance, what: string): void {
    if (inst.suspended) {
      throw new EngineError('BAD_USER_INPUT', `Cannot ${what}: process instance '${inst.id}' is suspended`, { camundaType: 'SuspendedEntityInteractionException' });
    }
  }

  /** Completes a user task, optionally setting variables first (Camunda's TaskService.complete). */
  async completeTask(taskId: string, variables: Record<string, unknown> = {}, opts: { userId?: string | null; withVariablesInReturn?: boolean } = {}): Promise<{ variables?: Record<string, TypedValue> }> {
    return this.taskCommand(taskId, opts.userId ?? null, async (ctx, inst, task) => {
      this.checkActive(inst, `complete task '${taskId}'`);
      for (const [k, v] of Object.entries(variables)) ctx.setTaskVariable(inst, task, k, v);
      const node = inst.graph.nodes.get(task.taskDefinitionKey) as UserTaskNode;
      const exec = inst.execution(task.executionId);
      await fireTaskListeners({ ctx, inst, exec, task }, node.taskListeners, 'complete', `userTask '${node.id}'`);
      const result = opts.withVariablesInReturn ? variablesOf(ctx, inst, exec) : undefined;
      deleteTask(ctx, inst, task, 'completed');
      await behaviorFor(node).signal!({ ctx, inst, exec }, node, { kind: 'complete' });
      return result ? { variables: result } : {};
    });
  }

  async claimTask(taskId: string, userId: string): Promise<void> {
    await this.taskCommand(taskId, userId, async (ctx, inst, task) => {
      if (task.assignee !== null && task.assignee !== userId) {
        throw new EngineError('CONFLICT', `Task '${taskId}' is already claimed by someone else.`, { camundaType: 'TaskAlreadyClaimedException' });
      }
      await this.assign(ctx, inst, task, userId);
    });
  }

  async unclaimTask(taskId: string): Promise<void> {
    await this.taskCommand(taskId, null, (ctx, inst, task) => this.assign(ctx, inst, task, null));
  }

  async setAssignee(taskId: string, userId: string | null): Promise<void> {
    await this.taskCommand(taskId, null, (ctx, inst, task) => this.assign(ctx, inst, task, userId));
  }

  private async assign(ctx: CommandContext, inst: ProcessInstance, task: NonNullable<ReturnType<ProcessInstance['tasks']['get']>>, userId: string | null): Promise<void> {
    if (task.assignee === userId) return;
    task.assignee = userId;
    const node = inst.graph.nodes.get(task.taskDefinitionKey) as UserTaskNode;
    await fireTaskListeners({ ctx, inst, exec: inst.execution(task.executionId), task }, node.taskListeners, 'assignment', `userTask '${node.id}'`);
    ctx.history.taskUpdated(task.id, { assignee: task.assignee });
    ctx.history.activityUpdated(task.activityInstanceId, { assignee: task.assignee });
    emitTask(ctx, inst, task, 'task.assigned');
  }

  async setTaskVariables(taskId: string, variables: Record<string, unknown>, local = false): Promise<void> {
    await this.taskCommand(taskId, null, async (ctx, inst, task) => {
      for (const [k, v] of Object.entries(variables)) {
        if (local) ctx.setTaskVariableLocal(inst, task, k, v);
        else ctx.setTaskVariable(inst, task, k, v);
      }
    });
  }

  async removeTaskVariable(taskId: string, name: string, local = false): Promise<void> {
    await this.taskCommand(taskId, null, async (ctx, inst, task) => {
      if (!ctx.removeTaskVariableLocal(inst, task, name) && !local) ctx.removeVariable(inst, inst.execution(task.executionId), name);
    });
  }

  async getTaskVariables(taskId: string, local = false): Promise<Record<string, TypedValue>> {
    const row = await this.store.getTask(taskId);
    if (!row) throw new NotFoundError(`Cannot find task with id ${taskId}`);
    const inst = await this.loadReadOnly(row.instanceId);
    const task = inst.inst.tasks.get(taskId);
    if (!task) throw new NotFoundError(`Cannot find task with id ${taskId}`);
    const out: Record<string, TypedValue> = local ? {} : variablesOf(inst.ctx, inst.inst, inst.inst.execution(task.executionId));
    for (const v of task.vars) out[v.name] = loadValue(v.value);
    return out;
  }

  private async executionInstance(executionId: string): Promise<string> {
    const rows = await this.store.findExecutions({ id: executionId });
    if (rows.length === 0) throw new NotFoundError(`Execution with id '${executionId}' does not exist`);
    return rows[0]!.instanceId;
  }

  /** Variables visible from an execution (a process instance id is its root execution's id). */
  async getVariables(executionId: string, local = false): Promise<Record<string, TypedValue>> {
    const instanceId = await this.executionInstance(executionId);
    const { ctx, inst } = await this.loadReadOnly(instanceId);
    const exec = inst.executions.get(executionId);
    if (!exec) throw new NotFoundError(`Execution with id '${executionId}' does not exist`);
    if (local) {
      const out: Record<string, TypedValue> = {};
      for (const v of exec.vars) out[v.name] = loadValue(v.value);
      return out;
    }
    return variablesOf(ctx, inst, exec);
  }

  async setVariables(executionId: string, variables: Record<string, unknown>, opts: { local?: boolean; remove?: string[] } = {}): Promise<void> {
    const instanceId = await this.executionInstance(executionId);
    await this.onInstance(instanceId, null, async (ctx, inst) => {
      const exec = inst.executions.get(executionId);
      if (!exec) throw new NotFoundError(`Execution with id '${executionId}' does not exist`);
      for (const [k, v] of Object.entries(variables)) {
        if (opts.local) ctx.setVariableLocal(inst, exec, k, v);
        else ctx.setVariable(inst, exec, k, v);
      }
      for (const name of opts.remove ?? []) {
        if (opts.local) ctx.removeVariableLocal(inst, exec, name);
        else ctx.removeVariable(inst, exec, name);
      }
    });
  }

  async removeVariable(executionId: string, name: string, local = false): Promise<void> {
    await this.setVariables(executionId, {}, { local, remove: [name] });
  }

  /** Triggers a waiting execution (receive task), Camunda's RuntimeService.signal. */
  async signalExecution(executionId: string, variables: Record<string, unknown> = {}): Promise<void> {
    const instanceId = await this.executionInstance(executionId);
    await this.onInstance(instanceId, null, async (ctx, inst) => {
      this.checkActive(inst, `signal execution '${executionId}'`);
      const exec = inst.executions.get(executionId);
      if (!exec || !exec.activityId) throw new NotFoundError(`Execution with id '${executionId}' does not exist`);
      const node = inst.graph.nodes.get(exec.activityId)!;
      const b = behaviorFor(node);
      if (!b.signal || node.type === 'userTask') {
        throw new BadUserInputError(`Execution '${executionId}' is at ${node.type} '${node.id}', which cannot be signalled`, 'executionId');
      }
      await b.signal({ ctx, inst, exec }, node, { kind: 'signal', variables });
    });
  }

  /** Cancels a process instance and its called instances (Camunda's deleteProcessInstance). */
  async deleteProcessInstance(instanceId: string, reason: string | null = null): Promise<void> {
    await this.onInstance(instanceId, null, async (ctx, inst) => {
      await cancelInstance(ctx, inst, reason ?? 'deleted', 'EXTERNALLY_TERMINATED');
    });
    this.roots.delete(instanceId);
  }

  /** Camunda's process instance modification: the instructions run in order in one command (see runtime/modification.ts). */
  async modifyProcessInstance(instanceId: string, opts: ModificationOptions & { userId?: string | null }): Promise<void> {
    const ended = await this.onInstance(instanceId, opts.userId ?? null, async (ctx, inst) => {
      this.checkActive(inst, `modify process instance '${instanceId}'`);
      await modifyInstance(ctx, inst, opts);
      return inst.ended;
    });
    if (ended) this.roots.delete(instanceId);
  }

  async suspendProcessInstance(instanceId: string, suspended = true): Promise<void> {
    await this.onInstance(instanceId, null, async (ctx, inst) => {
      if (inst.suspended === suspended) return;
      inst.suspended = suspended;
      // Suspended instances hold their jobs.
      for (const job of inst.jobs.values()) inst.extraMutations.push({ table: 'job', op: 'patch', id: job.id, set: { suspended } });
      ctx.history.processStateChanged(inst.id, suspended ? 'SUSPENDED' : 'ACTIVE');
      ctx.emit({ type: suspended ? 'instance.suspended' : 'instance.activated', ...ctx.instanceRef(inst) });
    });
  }

  async activateProcessInstance(instanceId: string): Promise<void> {
    await this.suspendProcessInstance(instanceId, false);
  }

  async suspendProcessDefinition(definitionId: string, suspended = true): Promise<void> {
    const row = await this.store.getProcessDefinition(definitionId);
    if (!row) throw new NotFoundError(`No process definition found with id '${definitionId}'`);
    await this.store.commit([{ table: 'processDefinition', op: 'patch', id: definitionId, set: { suspended } }]);
    const hit = this.graphs.get(definitionId);
    if (hit) hit.definition = { ...hit.definition, suspended };
    this.latestByKey.clear();
    // As in Camunda, its job definitions (and so its timer start jobs) take the definition's state.
    await this.suspendJobDefinitions({ processDefinitionId: definitionId }, suspended);
  }

  // ------------------------------------------------------------ jobs

  /** Starts this node's job executor (idempotent). */
  startJobExecutor(opts: JobExecutorOptions = {}): JobExecutor {
    if (this.jobExecutor) return this.jobExecutor;
    const executor = new JobExecutor(
      {
        acquire: (owner, lockTimeMs, max) => {
          const now = this.clock.now();
          return this.store.acquireJobs(owner, now, new Date(now.getTime() + lockTimeMs), max);
        },
        run: (job) => this.runJob(job, false),
        release: (jobs) => this.store.commit(jobs.map((j): S.Mutation => ({ table: 'job', op: 'patch', id: j.id, set: { lockOwner: null, lockExpiration: null } }))),
        nextDueDate: () => this.store.nextJobDueDate(this.clock.now()),
        now: () => this.clock.now(),
        onError: (e) => this.onJobExecutorError(e),
      },
      opts,
    );
    this.jobExecutor = executor;
    executor.start();
    return executor;
  }

  async stopJobExecutor(): Promise<void> {
    const executor = this.jobExecutor;
    this.jobExecutor = null;
    if (executor) await executor.stop();
  }

  private onJobExecutorError(e: unknown): void {
    if (this.jobErrorListener) this.jobErrorListener(e);
  }

  /** Receives failures of the job executor's own machinery (not job failures, which become retries and incidents). */
  onJobExecutorFailure(listener: (e: unknown) => void): void {
    this.jobErrorListener = listener;
  }

  /**
   * Acquires and runs due jobs (by the engine clock) until none is left, one at
   * a time — for tests driven by an injected clock, and for tools. Returns how many ran.
   */
  async runDueJobs(maxJobs = 1000): Promise<number> {
    let ran = 0;
    while (ran < maxJobs) {
      const now = this.clock.now();
      const [job] = await this.store.acquireJobs('run-due-jobs', now, new Date(now.getTime() + 300_000), 1);
      if (!job) break;
      await this.runJob(job, false);
      ran++;
    }
    return ran;
  }

  /** Runs one job now, due or not (Camunda's executeJob); a failure is recorded (retries, incident) and rethrown. */
  async executeJob(jobId: string): Promise<void> {
    const row = await this.store.getJob(jobId);
    if (!row) throw new NotFoundError(`No job found with id '${jobId}'`);
    await this.runJob(row, true);
  }

  private async runJob(row: S.JobRow, rethrow: boolean): Promise<void> {
    try {
      if (row.instanceId) {
        // The job row knows its root: no extra instance load to find the lock key.
        if (row.rootInstanceId && !this.roots.has(row.instanceId)) this.roots.set(row.instanceId, row.rootInstanceId);
        let gone = false;
        try {
          await this.onInstance(row.instanceId, null, async (ctx, inst) => {
            const job = inst.jobs.get(row.id);
            if (!job) {
              gone = true;
              return;
            }
            if (inst.suspended) throw new EngineError('BAD_USER_INPUT', `Cannot execute job '${row.id}': process instance '${inst.id}' is suspended`, { camundaType: 'SuspendedEntityInteractionException' });
            inst.jobs.delete(job.id);
            await executeJobHandler(ctx, inst, job);
            // A job that runs through resolves its incident (Camunda's JobEntity.postExecute), e.g. one executed by hand.
            for (const [id, x] of inst.incidents) if (x.type === 'failedJob' && x.configuration === job.id) inst.incidents.delete(id);
            ctx.history.jobSucceeded(row, inst, ctx.time());
            ctx.emit({ type: 'job.executed', ...jobRef(row, inst.businessKey, ctx.time()) });
          });
        } catch (e) {
          if (e instanceof NotFoundError && !(await this.store.getProcessInstance(row.instanceId))) gone = true;
          else throw e;
        }
        // The job's instance moved on or ended: the row is a leftover of a lost race.
        if (gone) await this.store.commit([{ table: 'job', op: 'delete', id: row.id }]);
        return;
      }
      const ctx = new CommandContext(this.services, null, this.eventsOn);
      ctx.extra.push({ table: 'job', op: 'delete', id: row.id });
      await executeDefinitionJob(ctx, row, (id) => this.deployed(id));
      const source = await this.deployed(row.definitionId!);
      ctx.history.jobSucceeded(row, source, ctx.time());
      // The next job of a timer cycle belongs to no instance either: no instance's jobs show it.
      for (const m of ctx.extra) if (m.table === 'job' && m.op === 'insert') ctx.history.definitionJobChanged('created', m.row, source, ctx.time());
      ctx.emit({ type: 'job.executed', ...jobRef(row, null, ctx.time()) });
      await ctx.runAgenda();
      await ctx.flush();
      this.afterCommit(ctx);
    } catch (e) {
      if (e instanceof ConflictError) {
        // Somebody else changed the instance first: try again later without using up a retry.
        await this.store.commit([{ table: 'job', op: 'patch', id: row.id, set: { lockOwner: null, lockExpiration: null } }]);
        if (rethrow) throw e;
        return;
      }
      await this.recordJobFailure(row, e);
      if (rethrow) throw e;
    }
  }

  private async recordJobFailure(row: S.JobRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const details = failureDetails(error);
    const now = this.clock.now();
    const patch = (retries: number, due: Date | null): S.Mutation => ({
      table: 'job',
      op: 'patch',
      id: row.id,
      set: { retries, exceptionMessage: message, exceptionDetails: details, lockOwner: null, lockExpiration: null, dueDate: due },
    });
    if (!row.instanceId) {
      const retries = Math.max(0, row.retries - 1);
      const out = [patch(retries, row.dueDate)];
      const source = await this.definitionOfJob(row);
      if (source) {
        const history = new HistoryWriter(this.historyLevel, () => this.services.newId());
        history.jobFailed(row, source, now, message, details);
        history.mutations(out);
      }
      await this.store.commit(out);
      this.bus.publish([{ type: 'job.failed', ...jobRef(row, null, now), retries, message }]);
      return;
    }
    await this.onInstance(row.instanceId, null, async (ctx, inst) => {
      const job = inst.jobs.get(row.id);
      if (!job) return;
      // Camunda logs the failure before its retry strategy runs: the entry has the retries this run started with.
      ctx.history.jobFailed(row, inst, now, message, details);
      const node = inst.graph.nodes.get(job.activityId);
      let retries = row.retries;
      let due = row.dueDate;
      const cycle = node?.failedJobRetryTimeCycle;
      if (cycle) {
        const schedule = parseRetryCycle(cycle);
        if (row.exceptionMessage === null) retries = schedule.retries;
        due = addDuration(now, schedule.delay(retries));
      }
      // A connector that knows when its target recovers (Retry-After, an open circuit) says so on its error.
      if (error instanceof ConnectorError && error.nextRetryDelayMs !== undefined) due = new Date(now.getTime() + error.nextRetryDelayMs);
      // A failure that says trying again cannot help uses up every retry at once.
      if (error instanceof ConnectorError && !error.retryable) retries = 1;
      retries = Math.max(0, retries - 1);
      inst.extraMutations.push(patch(retries, due));
      // The row stays the truth; the document's copy follows so that the job's later log entries (its deletion) show them.
      job.retries = retries;
      job.dueDate = due === null ? null : due.getTime();
      if (retries === 0) {
        const id = this.services.newId();
        inst.incidents.set(id, {
          id,
          type: 'failedJob',
          executionId: job.executionId,
          activityId: job.activityId,
          configuration: job.id,
          message,
          annotation: null,
          createTime: now.getTime(),
        });
      }
      ctx.emit({ type: 'job.failed', ...jobRef(row, inst.businessKey, now), retries, message });
    });
  }

  /** The process definition of a job without instance (a timer start event's); null when it was deleted meanwhile. */
  private async definitionOfJob(row: S.JobRow): Promise<DeployedProcess | null> {
    if (!row.definitionId) return null;
    try {
      return await this.deployed(row.definitionId);
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  /**
   * Completes a connector call that answered *pending* (request/reply over a
   * broker, an RPA callback) with its result, a BPMN error, or a technical
   * failure (the call is made again by a job). A token is single use: a
   * replayed, unknown or forged one answers NOT_FOUND and changes nothing.
   */
  async completeConnectorCall(token: string, outcome: PendingOutcome): Promise<void> {
    const dot = token.lastIndexOf('.');
    const instanceId = dot > 0 ? token.slice(0, dot) : '';
    const nonce = dot > 0 ? token.slice(dot + 1) : '';
    const unknown = () => new NotFoundError(`No connector call is waiting for this correlation token`);
    if (!instanceId || !nonce) throw unknown();
    const { completePendingCall } = await import('./runtime/behaviors/connector-task.behavior.js');
    try {
      await this.onInstance(instanceId, null, async (ctx, inst) => {
        const pending = inst.pendingCalls.get(nonce);
        if (!pending) throw unknown();
        await completePendingCall(ctx, inst, pending, outcome);
      });
    } catch (e) {
      // An instance that is gone (or never was) says no more than a missing call: the same answer, so tokens leak nothing.
      throw e instanceof NotFoundError ? unknown() : e;
    }
  }

  /** Sets a job's retries; a failedJob incident of the job is resolved when retries are given back. */
  async setJobRetries(jobId: string, retries: number): Promise<void> {
    if (!Number.isInteger(retries) || retries < 0) throw new BadUserInputError(`Retries must be a non-negative integer, got ${retries}`, 'retries');
    const row = await this.store.getJob(jobId);
    if (!row) throw new NotFoundError(`No job found with id '${jobId}'`);
    const set = { table: 'job' as const, op: 'patch' as const, id: jobId, set: { retries } };
    if (!row.instanceId) {
      await this.store.commit([set]);
      return;
    }
    await this.onInstance(row.instanceId, null, async (ctx, inst) => {
      inst.extraMutations.push(set);
      const job = inst.jobs.get(jobId);
      // The document's copy follows the row, for the job's later log entries.
      if (job) job.retries = retries;
      if (retries > 0) for (const [id, inc] of inst.incidents) if (inc.configuration === jobId) inst.incidents.delete(id);
      ctx.jobCreated(row.dueDate);
    });
  }

  /**
   * Suspends (or activates) jobs: one by id, or those of a job definition,
   * process instance, process definition or key (Camunda's
   * ManagementService.updateJobSuspensionState). The job executor does not
   * acquire suspended jobs. A selection that matches nothing changes nothing,
   * as in Camunda. Activating a process instance activates all its jobs again,
   * also those of suspended job definitions (Camunda does the same).
   */
  async suspendJobs(selector: JobSuspensionSelector, suspended = true): Promise<void> {
    await this.store.updateJobSuspensionState(selectedJobs(selector), suspended);
    if (!suspended) this.jobExecutor?.wake();
  }

  async activateJobs(selector: JobSuspensionSelector): Promise<void> {
    await this.suspendJobs(selector, false);
  }

  /**
   * Suspends (or activates) job definitions: one by id, or those of a process
   * definition or of every version of a key (Camunda's
   * ManagementService.updateJobDefinitionSuspensionState). The state is kept,
   * so jobs the job definition creates later start suspended, on every node
   * and after a restart. `includeJobs` changes its existing jobs too; by
   * process definition, the timer start jobs follow in any case, as in Camunda.
   */
  async suspendJobDefinitions(selector: JobDefinitionSuspensionSelector, suspended = true, opts: { includeJobs?: boolean } = {}): Promise<void> {
    const definitions = await this.findJobDefinitions(selectedJobDefinitions(selector));
    if (selector.jobDefinitionId != null && !definitions.length) return;
    const states = definitions.map((d) => ({ id: d.id, definitionId: d.processDefinitionId }));
    await this.store.updateJobDefinitionSuspensionState(states, suspended, jobsOfSelectedJobDefinitions(selector, opts.includeJobs ?? false));
    if (!suspended) this.jobExecutor?.wake();
  }

  async activateJobDefinitions(selector: JobDefinitionSuspensionSelector, opts: { includeJobs?: boolean } = {}): Promise<void> {
    await this.suspendJobDefinitions(selector, false, opts);
  }

  getJob(id: string): Promise<S.JobRow | null> {
    return this.store.getJob(id);
  }
  findJobs(filter: S.JobFilter, page?: S.Page, sort?: Parameters<S.Store['findJobs']>[2]): Promise<S.JobRow[]> {
    return this.store.findJobs(filter, page, sort);
  }
  countJobs(filter: S.JobFilter): Promise<number> {
    return this.store.countJobs(filter);
  }
  findIncidents(filter: S.IncidentFilter, page?: S.Page): Promise<S.IncidentRow[]> {
    return this.store.findIncidents(filter, page);
  }
  countIncidents(filter: S.IncidentFilter): Promise<number> {
    return this.store.countIncidents(filter);
  }

  /**
   * Resolves an incident. A failedJob incident is resolved the way Camunda
   * operators do it: the job gets its retries back (default 1) and runs again.
   */
  async resolveIncident(incidentId: string, opts: { annotation?: string; retries?: number } = {}): Promise<void> {
    const [row] = await this.store.findIncidents({ id: incidentId });
    if (!row || !row.instanceId) throw new NotFoundError(`Cannot find an incident with id '${incidentId}'`);
    if (row.type === 'failedJob' && row.configuration) {
      await this.setJobRetries(row.configuration, opts.retries ?? 1);
      return;
    }
    await this.onInstance(row.instanceId, null, async (_ctx, inst) => {
      inst.incidents.delete(incidentId);
    });
  }

  async setIncidentAnnotation(incidentId: string, annotation: string | null): Promise<void> {
    const [row] = await this.store.findIncidents({ id: incidentId });
    if (!row || !row.instanceId) throw new NotFoundError(`Cannot find an incident with id '${incidentId}'`);
    await this.onInstance(row.instanceId, null, async (ctx, inst) => {
      const inc = inst.incidents.get(incidentId);
      if (inc) inc.annotation = annotation;
      inst.extraMutations.push({ table: 'incident', op: 'patch', id: incidentId, set: { annotation } });
      ctx.history.incidentUpdated(incidentId, { annotation });
    });
  }

  /**
   * Start triggers of a new definition — timer jobs, message and signal start
   * subscriptions; those of the version it supersedes are removed.
   */
  private async startTriggers(row: S.ProcessDefinitionRow, graph: ProcessGraph): Promise<S.Mutation[]> {
    const out: S.Mutation[] = [];
    const older = new Set((await this.store.findProcessDefinitions({ key: row.key })).filter((d) => d.tenantId === row.tenantId && d.id !== row.id).map((d) => d.id));
    for (const sub of await this.store.findEventSubscriptions({ startEventsOnly: true })) {
      if (sub.definitionId && older.has(sub.definitionId)) out.push({ table: 'eventSubscription', op: 'delete', id: sub.id });
    }
    if (row.executable) {
      for (const id of graph.children) {
        const node = graph.nodes.get(id)!;
        if (node.type !== 'startEvent') continue;
        const def = node.eventDefinition;
        // A conditional start event is evaluated only on request; its subscription names no event, as in Camunda.
        const name = def.kind === 'message' ? def.messageName : def.kind === 'signal' ? def.signalName : def.kind === 'conditional' ? null : undefined;
        if (name === undefined) continue;
        out.push({
          table: 'eventSubscription',
          op: 'insert',
          row: { id: this.services.newId(), type: def.kind, eventName: name, instanceId: null, executionId: null, activityId: node.id, definitionId: row.id, tenantId: row.tenantId, createTime: this.clock.now() },
        });
      }
    }
    const now = this.clock.now();
    const history = new HistoryWriter(this.historyLevel, () => this.services.newId());
    for (const old of await this.store.findJobs({ type: JOB_TYPES.timerStartEvent, definitionKey: row.key })) {
      if (old.tenantId !== row.tenantId || old.definitionId === row.id) continue;
      out.push({ table: 'job', op: 'delete', id: old.id });
      await this.logDefinitionJobDeleted(history, old, now);
    }
    if (row.executable) {
      for (const id of graph.children) {
        const node = graph.nodes.get(id)!;
        if (node.type !== 'startEvent' || node.eventDefinition.kind !== 'timer') continue;
        const def = node.eventDefinition.timer;
        // A start timer has no execution to read variables from: only functions such as now() resolve.
        const value = this.expressions.evaluate(def.expression, { resolve: () => UNRESOLVED });
        const schedule = firstDue(def.type, value, now);
        const job = timerStartJobRow(this.services.newId(), row, node.id, schedule.due, schedule.repeat, now);
        out.push({ table: 'job', op: 'insert', row: job });
        history.definitionJobChanged('created', job, { definition: row, graph }, now);
      }
    }
    history.mutations(out);
    return out;
  }

  /** The job log's deletion entry of a timer start event's job (its definition is read only when the log is written). */
  private async logDefinitionJobDeleted(history: HistoryWriter, job: S.JobRow, time: Date): Promise<void> {
    if (!history.jobLogEnabled) return;
    const source = await this.definitionOfJob(job);
    if (source) history.definitionJobChanged('deleted', job, source, time);
  }

  // ------------------------------------------------------------ messages and signals

  /**
   * Correlates a message (Camunda's RuntimeService.createMessageCorrelation):
   * waiting executions first, else a message start event; exactly one match
   * unless `all`. With message buffering on, a message that matches nothing
   * is buffered and the result is empty (`publishMessage` tells it apart).
   */
  async correlateMessage(input: CorrelateMessageInput): Promise<CorrelationResult[]> {
    return (await this.publishMessage(input)).results;
  }

  /** The waiting message subscriptions a correlation reaches (business key, instance, correlation keys, local keys, tenant). */
  private async waitingFor(input: CorrelateMessageInput): Promise<S.EventSubscriptionRow[]> {
    let waiting = (await this.store.findEventSubscriptions({ type: 'message', eventName: input.messageName, instanceOnly: true })).filter((r) => tenantMatches(r, input));
    if (input.processInstanceId) waiting = waiting.filter((r) => r.instanceId === input.processInstanceId);
    const conditions = equalityConditions(input.correlationKeys);
    if (waiting.length && (input.businessKey != null || conditions.length)) {
      const ids = [...new Set(waiting.map((r) => r.instanceId!))];
      const ok = new Set(
        (await this.store.findProcessInstances({ idIn: ids, ...(input.businessKey != null ? { businessKey: input.businessKey } : {}), ...(conditions.length ? { variables: conditions } : {}) })).map((r) => r.id),
      );
      waiting = waiting.filter((r) => ok.has(r.instanceId!));
    }
    const local = Object.entries(input.localCorrelationKeys ?? {});
    if (waiting.length && local.length) {
      const vars = await this.store.findVariables({ executionIdIn: waiting.map((r) => r.executionId!), nameIn: local.map(([k]) => k) });
      waiting = waiting.filter((r) =>
        local.every(([k, v]) => vars.some((x) => x.executionId === r.executionId && x.name === k && x.taskId === null && x.value.value === toTypedValue(v).value)),
      );
    }
    return waiting;
  }

  /**
   * Correlates a message as `correlateMessage` does and tells whether it was
   * buffered instead: with message buffering on (`EngineOptions.messageBuffering`),
   * a message that matches nothing is kept for its `timeToLive` (or the
   * engine's `defaultTtl`) and handed to the first matching subscription an
   * instance opens before it expires (see ./messages/buffer.ts). Off, or with
   * no time to live, a message that matches nothing fails as in Camunda.
   */
  async publishMessage(input: CorrelateMessageInput): Promise<MessagePublication> {
    if (!input.messageName) throw new BadUserInputError('messageName is required', 'messageName');
    const name = input.messageName;
    const ttl = this.bufferTtl(input);
    // Validated before anything happens; buffered messages only ever wait for instances.
    const expiresAt = ttl === null || input.startMessagesOnly ? null : expiryOf(ttl, this.clock.now());
    const waiting = input.startMessagesOnly ? [] : await this.waitingFor(input);
    let starts: S.EventSubscriptionRow[] = [];
    if (!input.processInstanceId && (input.all || waiting.length === 0)) {
      starts = (await this.store.findEventSubscriptions({ type: 'message', eventName: name, startEventsOnly: true })).filter((r) => tenantMatches(r, input));
    }
    if (waiting.length === 0 && starts.length === 0 && expiresAt !== null) return this.bufferMessage(input, expiresAt);
    if (!input.all) {
      if (waiting.length > 1) {
        throw mismatch(`Cannot correlate a message with name '${name}' to a single execution. ${waiting.length} executions match the correlation keys: ${JSON.stringify({ businessKey: input.businessKey ?? null, correlationKeys: input.correlationKeys ?? {} })}`);
      }
      if (waiting.length === 0 && starts.length > 1) {
        throw mismatch(`Cannot correlate a message with name '${name}' to a single process definition. ${starts.length} process definitions match the parameters`);
      }
      if (waiting.length === 0 && starts.length === 0) throw mismatch(`Cannot correlate message '${name}': No process definition or execution matches the parameters`);
    }
    const results: CorrelationResult[] = [];
    for (const row of waiting) {
      const r = await this.onInstance(row.instanceId!, input.userId ?? null, async (ctx, inst) => {
        const sub = inst.subscriptions.get(row.id);
        if (!sub) throw mismatch(`Cannot correlate message '${name}': the execution waiting for it moved on`);
        await deliver(ctx, inst, sub, input.processVariables ?? {}, input.processVariablesLocal ?? {});
        return { inst, executionId: sub.executionId, ctx };
      });
      results.push({
        resultType: 'Execution',
        processInstanceId: r.inst.id,
        executionId: r.executionId,
        definitionId: r.inst.definition.id,
        businessKey: r.inst.businessKey,
        ended: r.inst.ended,
        ...(input.variablesInResultEnabled ? { variables: variablesOf(r.ctx, r.inst) } : {}),
      });
    }
    for (const row of starts) {
      const pi = await this.startProcessInstance({
        processDefinitionId: row.definitionId!,
        businessKey: input.businessKey ?? null,
        variables: input.processVariables ?? {},
        startBeforeActivityIds: [row.activityId!],
        userId: input.userId ?? null,
        withVariablesInReturn: input.variablesInResultEnabled === true,
      });
      results.push({
        resultType: 'ProcessDefinition',
        processInstanceId: pi.id,
        executionId: null,
        definitionId: pi.definitionId,
        businessKey: pi.businessKey,
        ended: pi.ended,
        ...(pi.variables ? { variables: pi.variables } : {}),
      });
    }
    return { results, buffered: null };
  }

  /** The time to live of a correlation that matches nothing, or null when it is not buffered. */
  private bufferTtl(input: CorrelateMessageInput): TimeToLive | null {
    const own = input.timeToLive ?? null;
    if (!this.messageBuffering) {
      if (own !== null) {
        throw new BadUserInputError(`Cannot buffer message '${input.messageName}': message buffering is not enabled on this engine (EngineOptions.messageBuffering)`, 'timeToLive');
      }
      return null;
    }
    return own ?? this.messageBuffering.defaultTtl;
  }

  /**
   * Buffers a message that matched nothing (expired ones go in the same
   * transaction). A subscription committed between the correlation's lookup
   * and this commit did not see the message when it looked at the buffer, so
   * the lookup runs once more and such a subscription gets it now.
   */
  private async bufferMessage(input: CorrelateMessageInput, expiresAt: Date): Promise<MessagePublication> {
    const now = this.clock.now();
    const row = bufferedMessageRow(input, this.services.newId(), now, expiresAt);
    const expired = await this.store.findBufferedMessages({ expiredAt: now }, { maxResults: EXPIRED_PURGE_BATCH });
    await this.store.commit([{ table: 'bufferedMessage', op: 'insert', row }, ...expired.map((r): S.Mutation => ({ table: 'bufferedMessage', op: 'delete', id: r.id }))]);
    const buffered = decodeBufferedMessage(row);
    for (const sub of await this.waitingFor(input)) {
      const taken = await this.onInstance(sub.instanceId!, input.userId ?? null, async (ctx, inst) => {
        const open = inst.subscriptions.get(sub.id);
        if (!open) return null;
        ctx.consumedBufferedMessages.add(row.id);
        ctx.extra.push({ table: 'bufferedMessage', op: 'delete', id: row.id, expectedRev: row.rev });
        await deliver(ctx, inst, open, buffered.variables, buffered.variablesLocal);
        return { inst, executionId: open.executionId, ctx };
      }).catch((e: unknown) => {
        // Another command took the message (or changed the instance) first: the message is where it belongs.
        if (e instanceof ConflictError || e instanceof NotFoundError) return null;
        throw e;
      });
      if (taken) {
        const { inst, executionId, ctx } = taken;
        const result: CorrelationResult = {
          resultType: 'Execution',
          processInstanceId: inst.id,
          executionId,
          definitionId: inst.definition.id,
          businessKey: inst.businessKey,
          ended: inst.ended,
          ...(input.variablesInResultEnabled ? { variables: variablesOf(ctx, inst) } : {}),
        };
        return { results: [result], buffered: null };
      }
    }
    return { results: [], buffered };
  }

  /** Buffered messages that have not expired, oldest first (message buffering, see `publishMessage`). */
  async findBufferedMessages(filter: { messageName?: string; businessKey?: string; processInstanceId?: string } = {}, page?: S.Page): Promise<BufferedMessage[]> {
    const rows = await this.store.findBufferedMessages({ ...filter, liveAt: this.clock.now() }, page);
    return rows.map(decodeBufferedMessage);
  }

  /**
   * Evaluates conditional start events (Camunda's
   * `RuntimeService.createConditionEvaluation().evaluateStartConditions()`):
   * every conditional start event of the latest versions — or of the one
   * definition asked for — whose condition holds for `variables` starts an
   * instance there, with those variables and business key. Suspended
   * definitions are skipped. Each instance starts in its own transaction.
   */
  async evaluateConditions(input: EvaluateConditionsInput = {}): Promise<ProcessInstanceResult[]> {
    if (input.tenantId != null && input.withoutTenantId) {
      throw new BadUserInputError("Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.", 'withoutTenantId');
    }
    const variables = input.variables ?? {};
    const matches: ConditionalStartMatch[] = [];
    if (input.processDefinitionId) {
      const deployed = await this.deployed(input.processDefinitionId);
      const starts = conditionalStartEvents(deployed);
      if (!starts.length) {
        throw new EngineError('BAD_USER_INPUT', `ENGINE-13042 Process definition with id '${input.processDefinitionId}' does not declare conditional start event.`);
      }
      if (!deployed.definition.suspended) matches.push(...(await matchingStartEvents(this.services, deployed, starts, variables)));
    } else {
      const subscriptions = (await this.store.findEventSubscriptions({ type: 'conditional', startEventsOnly: true })).filter((r) => tenantMatches(r, input));
      if (!subscriptions.length) throw new EngineError('BAD_USER_INPUT', 'ENGINE-13043 No subscriptions were found during evaluation of the conditional start events.');
      const byDefinition = new Map<string, Set<string>>();
      for (const sub of subscriptions) {
        if (!byDefinition.has(sub.definitionId!)) byDefinition.set(sub.definitionId!, new Set());
        byDefinition.get(sub.definitionId!)!.add(sub.activityId!);
      }
      for (const [definitionId, activityIds] of byDefinition) {
        const deployed = await this.deployed(definitionId);
        if (deployed.definition.suspended) continue;
        const starts = conditionalStartEvents(deployed).filter((s) => activityIds.has(s.id));
        matches.push(...(await matchingStartEvents(this.services, deployed, starts, variables)));
      }
    }
    const started: ProcessInstanceResult[] = [];
    for (const match of matches) {
      started.push(
        await this.startProcessInstance({
          processDefinitionId: match.definitionId,
          businessKey: input.businessKey ?? null,
          variables,
          startBeforeActivityIds: [match.activityId],
          userId: input.userId ?? null,
        }),
      );
    }
    return started;
  }

  /**
   * Broadcasts a signal to every waiting subscription (or one execution's) and
   * starts every process with a matching signal start event. Each catcher
   * continues in its own transaction.
   */
  async broadcastSignal(input: BroadcastSignalInput): Promise<{ delivered: number; started: number }> {
    if (!input.signalName) throw new BadUserInputError('signal name is required', 'name');
    let subs = (await this.store.findEventSubscriptions({ type: 'signal', eventName: input.signalName, instanceOnly: true })).filter((r) => tenantMatches(r, input));
    if (input.executionId) {
      subs = subs.filter((r) => r.executionId === input.executionId);
      if (subs.length === 0) throw new NotFoundError(`Execution '${input.executionId}' has not subscribed to the signal '${input.signalName}'`);
    }
    let delivered = 0;
    for (const row of subs) {
      const ok = await this.onInstance(row.instanceId!, input.userId ?? null, async (ctx, inst) => {
        const sub = inst.subscriptions.get(row.id);
        if (!sub) return false;
        await deliver(ctx, inst, sub, input.variables ?? {});
        return true;
      }).catch((e: unknown) => {
        if (e instanceof NotFoundError) return false;
        throw e;
      });
      if (ok) delivered++;
    }
    let started = 0;
    if (!input.executionId) {
      const starts = (await this.store.findEventSubscriptions({ type: 'signal', eventName: input.signalName, startEventsOnly: true })).filter((r) => tenantMatches(r, input));
      for (const row of starts) {
        await this.startProcessInstance({ processDefinitionId: row.definitionId!, variables: input.variables ?? {}, startBeforeActivityIds: [row.activityId!], userId: input.userId ?? null });
        started++;
      }
    }
    return { delivered, started };
  }

  findEventSubscriptions(filter: S.EventSubscriptionFilter, page?: S.Page): Promise<S.EventSubscriptionRow[]> {
    return this.store.findEventSubscriptions(filter, page);
  }

  // ------------------------------------------------------------ queries

  private async loadReadOnly(instanceId: string): Promise<{ ctx: CommandContext; inst: ProcessInstance }> {
    const ctx = new CommandContext(this.services, null);
    const inst = await ctx.loadInstance(instanceId);
    return { ctx, inst };
  }

  async getProcessInstance(id: string): Promise<ProcessInstanceInfo | null> {
    const row = await this.store.getProcessInstance(id);
    return row ? stripDoc(row) : null;
  }

  async findProcessInstances(filter: S.ProcessInstanceFilter, page?: S.Page, sort?: Parameters<S.Store['findProcessInstances']>[2]): Promise<ProcessInstanceInfo[]> {
    return (await this.store.findProcessInstances(filter, page, sort)).map(stripDoc);
  }

  countProcessInstances(filter: S.ProcessInstanceFilter): Promise<number> {
    return this.store.countProcessInstances(filter);
  }

  async getActivityInstanceTree(instanceId: string): Promise<ActivityInstance> {
    const { inst } = await this.loadReadOnly(instanceId);
    return activityInstanceTree(inst, (id) => activityType(inst.graph.nodes.get(id)!));
  }

  /** Activity ids where the instance currently has tokens. */
  async getActiveActivityIds(instanceId: string): Promise<string[]> {
    const { inst } = await this.loadReadOnly(instanceId);
    return activeActivityIds(inst);
  }

  /** `getActiveActivityIds` of many running instances in one store read; instances not running are left out. */
  async getActiveActivityIdsOfInstances(instanceIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (instanceIds.length === 0) return out;
    for (const row of await this.store.findProcessInstances({ idIn: [...new Set(instanceIds)] })) {
      const { definition, graph } = await this.deployed(row.definitionId);
      out.set(row.id, activeActivityIds(ProcessInstance.fromRow(row, definition, graph)));
    }
    return out;
  }

  /**
   * Process-instance-level variables (those of the root execution, what
   * `getVariables(instanceId)` returns) of many instances in one store read.
   */
  async getVariablesOfInstances(instanceIds: readonly string[]): Promise<Map<string, Record<string, TypedValue>>> {
    const out = new Map<string, Record<string, TypedValue>>();
    if (instanceIds.length === 0) return out;
    const ids = [...new Set(instanceIds)];
    for (const id of ids) out.set(id, {});
    // A process instance's id is its root execution's id.
    for (const v of await this.store.findVariables({ executionIdIn: ids })) {
      if (v.taskId === null && v.executionId === v.instanceId) out.get(v.instanceId)![v.name] = v.value;
    }
    return out;
  }

  /** Open tasks of many instances in one store read (oldest first, at most `maxResults` in all), by instance id. */
  async getTasksOfInstances(instanceIds: readonly string[], maxResults?: number): Promise<Map<string, S.TaskRow[]>> {
    const out = new Map<string, S.TaskRow[]>();
    if (instanceIds.length === 0) return out;
    const ids = [...new Set(instanceIds)];
    for (const id of ids) out.set(id, []);
    const page = maxResults === undefined ? {} : { maxResults };
    for (const t of await this.store.findTasks({ instanceIdIn: ids }, page, [{ by: 'created' }, { by: 'id' }])) out.get(t.instanceId)?.push(t);
    return out;
  }

  /** What this engine is: its version, its store and its history level. */
  info(): { version: string; storeKind: S.Store['kind']; historyLevel: HistoryLevel; sharesEvents: boolean } {
    return { version: ENGINE_VERSION, storeKind: this.store.kind, historyLevel: this.historyLevel, sharesEvents: this.shared !== null };
  }

  getTask(id: string): Promise<S.TaskRow | null> {
    return this.store.getTask(id);
  }
  findTasks(filter: S.TaskFilter, page?: S.Page, sort?: Parameters<S.Store['findTasks']>[2]): Promise<S.TaskRow[]> {
    return this.store.findTasks(filter, page, sort);
  }
  countTasks(filter: S.TaskFilter): Promise<number> {
    return this.store.countTasks(filter);
  }
  findExecutions(filter: S.ExecutionFilter, page?: S.Page): Promise<S.ExecutionRow[]> {
    return this.store.findExecutions(filter, page);
  }
  findVariables(filter: S.VariableFilter, page?: S.Page): Promise<S.VariableRow[]> {
    return this.store.findVariables(filter, page);
  }

  /** Camunda's job definitions of deployed processes (derived from their graphs, see repository/job-definitions.ts), with their suspension state. */
  async findJobDefinitions(filter: JobDefinitionQuery = {}): Promise<JobDefinition[]> {
    // A job definition's id starts with its process definition's id (`<key>:<version>:<uuid>`).
    const definitionId = filter.definitionId ?? (filter.id ? filter.id.split(':').slice(0, 3).join(':') : undefined);
    const rows = await this.store.findProcessDefinitions({
      ...(definitionId !== undefined ? { id: definitionId } : {}),
      ...(filter.definitionKey !== undefined ? { key: filter.definitionKey } : {}),
      ...(filter.tenantIdIn !== undefined ? { tenantIdIn: filter.tenantIdIn } : {}),
      ...(filter.withoutTenantId !== undefined ? { withoutTenantId: filter.withoutTenantId } : {}),
    });
    const states = new Map((await this.store.findJobDefinitionStates(rows.map((r) => r.id))).map((s) => [s.id, s.suspended]));
    const out: JobDefinition[] = [];
    for (const row of rows) {
      const { graph } = await this.deployed(row.id);
      for (const d of jobDefinitionsOf(row, graph, states)) if (matchesJobDefinition(d, filter)) out.push(d);
    }
    return out;
  }

  getProcessDefinition(id: string): Promise<S.ProcessDefinitionRow | null> {
    return this.store.getProcessDefinition(id);
  }
  /** The latest version of a key, through the same short-lived cache start-by-key uses (see `latest`). */
  async getLatestProcessDefinition(key: string, tenantId: string | null = null): Promise<S.ProcessDefinitionRow | null> {
    return (await this.latest(key, tenantId))?.definition ?? null;
  }
  findProcessDefinitions(filter: S.ProcessDefinitionFilter, page?: S.Page, sort?: Parameters<S.Store['findProcessDefinitions']>[2]): Promise<S.ProcessDefinitionRow[]> {
    return this.store.findProcessDefinitions(filter, page, sort);
  }
  countProcessDefinitions(filter: S.ProcessDefinitionFilter): Promise<number> {
    return this.store.countProcessDefinitions(filter);
  }
  async getProcessDefinitionXml(id: string): Promise<string> {
    const row = await this.store.getProcessDefinition(id);
    if (!row) throw new NotFoundError(`No process definition found with id '${id}'`);
    const res = await this.store.getResource(row.deploymentId, row.resourceName);
    if (!res) throw new NotFoundError(`The BPMN resource of process definition '${id}' is missing`);
    return res.content;
  }
  getDeployment(id: string): Promise<S.DeploymentRow | null> {
    return this.store.getDeployment(id);
  }
  findDeployments(filter: S.DeploymentFilter, page?: S.Page, sort?: Parameters<S.Store['findDeployments']>[2]): Promise<S.DeploymentRow[]> {
    return this.store.findDeployments(filter, page, sort);
  }
  getDeploymentResources(id: string): Promise<S.ResourceRow[]> {
    return this.store.getResources(id);
  }
  findHistoricProcessInstances(filter: S.HistoricProcessInstanceFilter, page?: S.Page, sort?: Parameters<S.Store['findHistoricProcessInstances']>[2]): Promise<S.HistoricProcessInstanceRow[]> {
    return this.store.findHistoricProcessInstances(filter, page, sort);
  }
  findHistoricActivityInstances(filter: S.HistoricActivityInstanceFilter, page?: S.Page, sort?: Parameters<S.Store['findHistoricActivityInstances']>[2]): Promise<S.HistoricActivityInstanceRow[]> {
    return this.store.findHistoricActivityInstances(filter, page, sort);
  }
  findHistoricTaskInstances(filter: S.HistoricTaskInstanceFilter, page?: S.Page, sort?: Parameters<S.Store['findHistoricTaskInstances']>[2]): Promise<S.HistoricTaskInstanceRow[]> {
    return this.store.findHistoricTaskInstances(filter, page, sort);
  }
  findHistoricVariableInstances(filter: S.HistoricVariableInstanceFilter, page?: S.Page): Promise<S.HistoricVariableInstanceRow[]> {
    return this.store.findHistoricVariableInstances(filter, page);
  }
  countHistoricProcessInstances(filter: S.HistoricProcessInstanceFilter): Promise<number> {
    return this.store.countHistoricProcessInstances(filter);
  }
  countHistoricActivityInstances(filter: S.HistoricActivityInstanceFilter): Promise<number> {
    return this.store.countHistoricActivityInstances(filter);
  }
  countHistoricTaskInstances(filter: S.HistoricTaskInstanceFilter): Promise<number> {
    return this.store.countHistoricTaskInstances(filter);
  }
  countHistoricVariableInstances(filter: S.HistoricVariableInstanceFilter): Promise<number> {
    return this.store.countHistoricVariableInstances(filter);
  }
  findHistoricDetails(filter: S.HistoricDetailFilter, page?: S.Page): Promise<S.HistoricDetailRow[]> {
    return this.store.findHistoricDetails(filter, page);
  }
  /** Incidents as history records them (level full): open, resolved and deleted ones, oldest first unless sorted. */
  findHistoricIncidents(filter: S.HistoricIncidentFilter, page?: S.Page, sort?: S.Sorting<S.HistoricIncidentSortField>[]): Promise<S.HistoricIncidentRow[]> {
    return this.store.findHistoricIncidents(filter, page, sort);
  }
  countHistoricIncidents(filter: S.HistoricIncidentFilter): Promise<number> {
    return this.store.countHistoricIncidents(filter);
  }
  /**
   * The job log (level full): an entry per job created, run that failed, run
   * that succeeded and job deleted without running, oldest first unless sorted.
   */
  findHistoricJobLogs(filter: S.HistoricJobLogFilter, page?: S.Page, sort?: S.Sorting<S.HistoricJobLogSortField>[]): Promise<S.HistoricJobLogRow[]> {
    return this.store.findHistoricJobLogs(filter, page, sort);
  }
  countHistoricJobLogs(filter: S.HistoricJobLogFilter): Promise<number> {
    return this.store.countHistoricJobLogs(filter);
  }
  /**
   * The failure details of a job log entry (Camunda's
   * getHistoricJobLogExceptionStacktrace): stack-free, as the job's own; null
   * for an entry that records no failure.
   */
  async getHistoricJobLogStacktrace(id: string): Promise<string | null> {
    const [row] = await this.store.findHistoricJobLogs({ id });
    if (!row) throw new NotFoundError(`No historic job log found with id '${id}'`);
    return row.jobExceptionStacktrace;
  }

  /** Removes finished history past its time to live, in batches; returns how many instances went. */
  cleanupHistory(batchSize = 500): Promise<number> {
    return this.store.cleanupHistory(this.clock.now(), batchSize);
  }

  /** For tests and tools: the task-listener view of a task. */
  async delegateTask(taskId: string): Promise<DelegateTask> {
    const row = await this.store.getTask(taskId);
    if (!row) throw new NotFoundError(`Cannot find task with id ${taskId}`);
    const { ctx, inst } = await this.loadReadOnly(row.instanceId);
    return new DelegateTask(ctx, inst, inst.tasks.get(taskId)!);
  }
}

function variablesOf(ctx: CommandContext, inst: ProcessInstance, exec = inst.root()): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const [k, v] of ctx.getVariables(inst, exec)) out[k] = v;
  return out;
}

function activeActivityIds(inst: ProcessInstance): string[] {
  const out = new Set<string>();
  for (const e of inst.executions.values()) if (e.activityId && (e.active || e.joined) && !inst.children(e).some((c) => c.scope)) out.add(e.activityId);
  return [...out];
}

/**
 * The command's events with its incident changes appended (see
 * history/incident-changes.ts for when an incident counts as resolved and
 * when as deleted).
 */
function incidentEvents(ctx: CommandContext): readonly DomainEvent[] {
  let out: DomainEvent[] | null = null;
  for (const inst of ctx.instances.values()) {
    const changes = incidentChanges(inst);
    if (!changes) continue;
    const ref = ctx.instanceRef(inst);
    const event = (type: 'incident.created' | 'incident.resolved' | 'incident.deleted', x: IncidentDoc): DomainEvent => ({
      type,
      ...ref,
      incidentId: x.id,
      incidentType: x.type,
      activityId: x.activityId,
      executionId: x.executionId,
      configuration: x.configuration,
      message: x.message,
    });
    out ??= [...ctx.events];
    for (const x of changes.created) out.push(event('incident.created', x));
    for (const x of changes.resolved) out.push(event('incident.resolved', x));
    for (const x of changes.deleted) out.push(event('incident.deleted', x));
  }
  return out ?? ctx.events;
}
