/**
 * One process instance in memory for the duration of a command: its row, its
 * document (executions, tasks, variables) and what it looked like when loaded,
 * so the command can write exactly the projection rows that changed.
 */
import type { ProcessGraph } from '../model/graph.js';
import type {
  EventSubscriptionRow,
  ExecutionRow,
  ExternalTaskRow,
  IncidentRow,
  InstanceState,
  JobRow,
  Mutation,
  ProcessDefinitionRow,
  ProcessInstanceRow,
  TaskRow,
  VariableRow,
} from '../persistence/store.js';
import { jobDefinitionIdOf } from '../repository/job-definitions.js';
import { loadValue } from '../variables/convert.js';
import { innerBody } from './multi-instance.js';
import type { ExecutionDoc, ExternalTaskDoc, IncidentDoc, InstanceDoc, JobDoc, PendingCallDoc, StoredVariable, SubscriptionDoc, TaskDoc } from './state.js';

type ProjectedTable = 'execution' | 'task' | 'variable' | 'job' | 'eventSubscription' | 'incident' | 'externalTask';

export class ProcessInstance {
  readonly id: string;
  readonly definition: ProcessDefinitionRow;
  readonly graph: ProcessGraph;
  businessKey: string | null;
  readonly tenantId: string | null;
  suspended: boolean;
  readonly superInstanceId: string | null;
  readonly superExecutionId: string | null;
  readonly rootInstanceId: string;
  readonly startTime: Date;
  readonly startUserId: string | null;
  /** Revision as loaded; 0 for an instance created by this command. */
  readonly loadedRev: number;
  ended = false;
  /** How it ended (COMPLETED, INTERNALLY_TERMINATED, …), once `ended`. */
  endState: InstanceState | null = null;
  seq: number;
  readonly executions = new Map<string, ExecutionDoc>();
  /**
   * Executions pruned during this command and the execution that took their
   * place (Camunda's `replacedBy`): operations still on the agenda for a pruned
   * execution continue on its replacement. Not persisted.
   */
  readonly replacedBy = new Map<string, string>();

  /** The execution now standing for `id`: itself, the one that replaced it when pruned, or null when it is gone. */
  currentExecution(id: string): ExecutionDoc | null {
    let cur: string | undefined = id;
    while (cur !== undefined) {
      const e = this.executions.get(cur);
      if (e) return e;
      cur = this.replacedBy.get(cur);
    }
    return null;
  }
  readonly tasks = new Map<string, TaskDoc>();
  readonly jobs = new Map<string, JobDoc>();
  readonly externalTasks = new Map<string, ExternalTaskDoc>();
  /** Connector calls waiting for their answer, by nonce. */
  readonly pendingCalls = new Map<string, PendingCallDoc>();
  connectorCalls = 0;
  readonly subscriptions = new Map<string, SubscriptionDoc>();
  readonly incidents = new Map<string, IncidentDoc>();
  /** Incidents as loaded: what the command opened or closed is the difference (incident events). */
  readonly loadedIncidents = new Map<string, IncidentDoc>();
  /** Job rows as loaded: what the command created or deleted is the difference (the job log). */
  readonly loadedJobs = new Map<string, JobRow>();
  /** Extra mutations of this command for rows that are not projections (job lock/retry patches). */
  readonly extraMutations: Mutation[] = [];
  /** Projection rows as loaded: key `<table>:<id>` → JSON. */
  private readonly snapshot = new Map<string, string>();

  constructor(init: {
    id: string;
    definition: ProcessDefinitionRow;
    graph: ProcessGraph;
    businessKey: string | null;
    tenantId: string | null;
    suspended: boolean;
    superInstanceId: string | null;
    superExecutionId: string | null;
    rootInstanceId: string;
    startTime: Date;
    startUserId: string | null;
    rev: number;
    doc?: InstanceDoc;
  }) {
    this.id = init.id;
    this.definition = init.definition;
    this.graph = init.graph;
    this.businessKey = init.businessKey;
    this.tenantId = init.tenantId;
    this.suspended = init.suspended;
    this.superInstanceId = init.superInstanceId;
    this.superExecutionId = init.superExecutionId;
    this.rootInstanceId = init.rootInstanceId;
    this.startTime = init.startTime;
    this.startUserId = init.startUserId;
    this.loadedRev = init.rev;
    this.seq = init.doc?.seq ?? 0;
    if (init.doc) {
      for (const e of init.doc.executions) this.executions.set(e.id, e);
      for (const t of init.doc.tasks) this.tasks.set(t.id, t);
      for (const j of init.doc.jobs ?? []) this.jobs.set(j.id, j);
      for (const x of init.doc.externalTasks ?? []) this.externalTasks.set(x.id, x);
      for (const x of init.doc.pendingCalls ?? []) this.pendingCalls.set(x.nonce, x);
      this.connectorCalls = init.doc.connectorCalls ?? 0;
      for (const x of init.doc.subscriptions ?? []) this.subscriptions.set(x.id, x);
      for (const x of init.doc.incidents ?? []) this.incidents.set(x.id, x);
      for (const x of init.doc.incidents ?? []) this.loadedIncidents.set(x.id, { ...x });
      for (const [key, p] of this.projections()) {
        this.snapshot.set(key, JSON.stringify(p.row));
        if (p.table === 'job') this.loadedJobs.set(p.row.id, p.row);
      }
    }
  }

  static fromRow(row: ProcessInstanceRow, definition: ProcessDefinitionRow, graph: ProcessGraph): ProcessInstance {
    return new ProcessInstance({
      id: row.id,
      definition,
      graph,
      businessKey: row.businessKey,
      tenantId: row.tenantId,
      suspended: row.suspended,
      superInstanceId: row.superInstanceId,
      superExecutionId: row.superExecutionId,
      rootInstanceId: row.rootInstanceId,
      startTime: row.startTime,
      startUserId: row.startUserId,
      rev: row.rev,
      doc: JSON.parse(row.doc) as InstanceDoc,
    });
  }

  get isNew(): boolean {
    return this.loadedRev === 0;
  }

  root(): ExecutionDoc {
    const r = this.executions.get(this.id);
    if (!r) throw new Error(`process instance ${this.id} has no root execution`);
    return r;
  }

  execution(id: string): ExecutionDoc {
    const e = this.executions.get(id);
    if (!e) throw new Error(`execution ${id} not found in process instance ${this.id}`);
    return e;
  }

  /** Child executions; waiting event scopes (kept for compensation, not tokens) only when asked for. */
  children(parent: ExecutionDoc, withEventScopes = false): ExecutionDoc[] {
    const out: ExecutionDoc[] = [];
    for (const e of this.executions.values()) if (e.parentId === parent.id && (withEventScopes || e.eventScope !== true)) out.push(e);
    return out;
  }

  parent(e: ExecutionDoc): ExecutionDoc | null {
    return e.parentId === null ? null : this.execution(e.parentId);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  toDoc(): InstanceDoc {
    const doc: InstanceDoc = { v: 1, seq: this.seq, executions: [...this.executions.values()], tasks: [...this.tasks.values()] };
    if (this.jobs.size) doc.jobs = [...this.jobs.values()];
    if (this.externalTasks.size) doc.externalTasks = [...this.externalTasks.values()];
    if (this.pendingCalls.size) doc.pendingCalls = [...this.pendingCalls.values()];
    if (this.connectorCalls) doc.connectorCalls = this.connectorCalls;
    if (this.subscriptions.size) doc.subscriptions = [...this.subscriptions.values()];
    if (this.incidents.size) doc.incidents = [...this.incidents.values()];
    return doc;
  }

  toRow(rev: number): ProcessInstanceRow {
    return {
      id: this.id,
      rev,
      definitionId: this.definition.id,
      definitionKey: this.definition.key,
      businessKey: this.businessKey,
      tenantId: this.tenantId,
      suspended: this.suspended,
      superInstanceId: this.superInstanceId,
      superExecutionId: this.superExecutionId,
      rootInstanceId: this.rootInstanceId,
      startTime: this.startTime,
      startUserId: this.startUserId,
      doc: JSON.stringify(this.toDoc()),
    };
  }

  /** The query projections of the current state. */
  *projections(): Generator<
    [
      string,
      | { table: 'execution'; row: ExecutionRow }
      | { table: 'task'; row: TaskRow }
      | { table: 'variable'; row: VariableRow }
      | { table: 'job'; row: JobRow }
      | { table: 'eventSubscription'; row: EventSubscriptionRow }
      | { table: 'incident'; row: IncidentRow }
      | { table: 'externalTask'; row: ExternalTaskRow },
    ]
  > {
    for (const j of this.jobs.values()) yield [`job:${j.id}`, { table: 'job', row: this.jobRow(j) }];
    for (const x of this.externalTasks.values()) yield [`externalTask:${x.id}`, { table: 'externalTask', row: this.externalTaskRow(x) }];
    for (const x of this.subscriptions.values()) {
      const row: EventSubscriptionRow = {
        id: x.id,
        type: x.type,
        eventName: x.eventName,
        instanceId: this.id,
        executionId: x.executionId,
        activityId: x.activityId,
        definitionId: this.definition.id,
        tenantId: this.tenantId,
        createTime: new Date(x.createTime),
      };
      yield [`eventSubscription:${x.id}`, { table: 'eventSubscription', row }];
    }
    for (const x of this.incidents.values()) {
      const row: IncidentRow = {
        id: x.id,
        type: x.type,
        instanceId: this.id,
        executionId: x.executionId,
        rootInstanceId: this.rootInstanceId,
        definitionId: this.definition.id,
        definitionKey: this.definition.key,
        activityId: x.activityId,
        configuration: x.configuration,
        message: x.message,
        annotation: x.annotation,
        jobDefinitionId: this.incidentJobDefinitionId(x),
        createTime: new Date(x.createTime),
        tenantId: this.tenantId,
      };
      yield [`incident:${x.id}`, { table: 'incident', row }];
    }
    for (const e of this.executions.values()) {
      const row: ExecutionRow = {
        id: e.id,
        instanceId: this.id,
        parentId: e.parentId,
        activityId: e.activityId,
        activityInstanceId: e.activityInstanceId,
        active: e.active,
        concurrent: e.concurrent,
        scope: e.scope,
        definitionId: this.definition.id,
        tenantId: this.tenantId,
        businessKey: this.businessKey,
        suspended: this.suspended,
      };
      yield [`execution:${e.id}`, { table: 'execution', row }];
      const scopeAi = e.scopeAi ?? e.activityInstanceId ?? this.id;
      for (const v of e.vars) yield [`variable:${v.id}`, { table: 'variable', row: this.variableRow(v, e.id, scopeAi, null) }];
    }
    for (const t of this.tasks.values()) {
      const row: TaskRow = {
        id: t.id,
        instanceId: this.id,
        executionId: t.executionId,
        activityInstanceId: t.activityInstanceId,
        definitionId: this.definition.id,
        definitionKey: this.definition.key,
        taskDefinitionKey: t.taskDefinitionKey,
        name: t.name,
        description: t.description,
        assignee: t.assignee,
        owner: t.owner,
        priority: t.priority,
        dueDate: t.dueDate ? new Date(t.dueDate) : null,
        followUpDate: t.followUpDate ? new Date(t.followUpDate) : null,
        formKey: t.formKey,
        createTime: new Date(t.createTime),
        tenantId: this.tenantId,
        suspended: this.suspended,
        candidateUsers: t.candidateUsers,
        candidateGroups: t.candidateGroups,
      };
      yield [`task:${t.id}`, { table: 'task', row }];
      for (const v of t.vars) yield [`variable:${v.id}`, { table: 'variable', row: this.variableRow(v, t.executionId, t.activityInstanceId, t.id) }];
    }
  }

  /** The row a new job starts with; lock, retry and failure fields then live in the database. */
  jobRow(j: JobDoc): JobRow {
    return {
      id: j.id,
      type: j.type,
      instanceId: this.id,
      executionId: j.executionId,
      rootInstanceId: this.rootInstanceId,
      definitionId: this.definition.id,
      definitionKey: this.definition.key,
      activityId: j.activityId,
      jobDefinitionId: jobDefinitionIdOf(this.definition.id, j, this.atMultiInstanceBody(j)),
      dueDate: j.dueDate === null ? null : new Date(j.dueDate),
      retries: j.retries,
      lockOwner: null,
      lockExpiration: null,
      exceptionMessage: null,
      exceptionDetails: null,
      priority: j.priority,
      exclusive: j.exclusive,
      suspended: this.suspended,
      handlerConfig: JSON.stringify(j.config),
      repeat: j.repeat,
      tenantId: this.tenantId,
      createTime: new Date(j.createTime),
    };
  }

  /** A failedJob incident's job definition: its job's, which is still here while the incident is open. */
  incidentJobDefinitionId(x: IncidentDoc): string | null {
    const job = x.type === 'failedJob' && x.configuration !== null ? this.jobs.get(x.configuration) : undefined;
    return job ? jobDefinitionIdOf(this.definition.id, job, this.atMultiInstanceBody(job)) : null;
  }

  /**
   * A continuation of a multi-instance activity's body rather than of one of
   * its instances: asyncAfter jobs of such an activity are always its body's
   * (its instances leave through the body), asyncBefore ones when their
   * execution is not inside the body, as when they were created.
   */
  private atMultiInstanceBody(j: JobDoc): boolean {
    const node = this.graph.nodes.get(j.activityId);
    if (!node?.multiInstance) return false;
    const exec = this.executions.get(j.executionId);
    return j.config['op'] === 'take' || (exec !== undefined && innerBody(this, exec, node) === null);
  }

  /** The row a new external task starts with; lock, retry and failure fields then live in the database. */
  externalTaskRow(x: ExternalTaskDoc): ExternalTaskRow {
    return {
      id: x.id,
      topicName: x.topicName,
      workerId: null,
      lockExpiration: null,
      retries: null,
      errorMessage: null,
      errorDetails: null,
      suspended: this.suspended,
      priority: x.priority,
      instanceId: this.id,
      executionId: x.executionId,
      rootInstanceId: this.rootInstanceId,
      definitionId: this.definition.id,
      definitionKey: this.definition.key,
      definitionVersionTag: this.definition.versionTag,
      activityId: x.activityId,
      activityInstanceId: x.activityInstanceId,
      businessKey: this.businessKey,
      tenantId: this.tenantId,
      createTime: new Date(x.createTime),
    };
  }

  private variableRow(v: StoredVariable, executionId: string, activityInstanceId: string, taskId: string | null): VariableRow {
    return {
      id: v.id,
      instanceId: this.id,
      executionId,
      activityInstanceId,
      taskId,
      name: v.name,
      value: loadValue(v.value),
      definitionId: this.definition.id,
      tenantId: this.tenantId,
    };
  }

  /** The mutations that bring the database from the loaded state to this one. */
  mutations(out: Mutation[]): void {
    if (this.isNew && this.ended) return;
    if (this.ended) {
      out.push({ table: 'processInstance', op: 'delete', id: this.id, expectedRev: this.loadedRev });
      for (const key of this.snapshot.keys()) {
        const i = key.indexOf(':');
        out.push({ table: key.slice(0, i) as ProjectedTable, op: 'delete', id: key.slice(i + 1) });
      }
      out.push(...this.extraMutations.filter((m) => m.table !== 'job'));
      return;
    }
    if (this.isNew) out.push({ table: 'processInstance', op: 'insert', row: this.toRow(1) });
    else out.push({ table: 'processInstance', op: 'update', row: this.toRow(this.loadedRev + 1), expectedRev: this.loadedRev });
    const seen = new Set<string>();
    for (const [key, p] of this.projections()) {
      seen.add(key);
      const before = this.snapshot.get(key);
      if (before === undefined) out.push({ table: p.table, op: 'insert', row: p.row } as Mutation);
      // Job and incident rows are only ever inserted and deleted here; their other changes are explicit patches.
      else if (p.table === 'externalTask') {
        // Only the fields the document owns (execution, priority, suspension, business key) change here; the lock stays.
        if (before !== JSON.stringify(p.row)) out.push({ table: 'externalTask', op: 'patch', id: p.row.id, set: documentFields(p.row) });
      } else if (p.table !== 'job' && p.table !== 'incident' && before !== JSON.stringify(p.row)) out.push({ table: p.table, op: 'update', row: p.row } as Mutation);
    }
    for (const key of this.snapshot.keys()) {
      if (seen.has(key)) continue;
      const i = key.indexOf(':');
      out.push({ table: key.slice(0, i) as ProjectedTable, op: 'delete', id: key.slice(i + 1) });
    }
    out.push(...this.extraMutations);
  }
}

/** The external task fields kept in the instance document (everything but lock, retries and failure). */
function documentFields(row: ExternalTaskRow): Partial<ExternalTaskRow> {
  const { workerId: _w, lockExpiration: _l, retries: _r, errorMessage: _m, errorDetails: _d, ...owned } = row;
  return owned;
}
