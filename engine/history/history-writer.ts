/**
 * Collects the history rows of one command. Rows created and finished within
 * the same command are written once, complete; rows from earlier commands are
 * patched.
 */
import type {
  HistoricActivityInstanceRow,
  HistoricIncidentRow,
  HistoricProcessInstanceRow,
  HistoricTaskInstanceRow,
  InstanceState,
  JobLogState,
  JobRow,
  Mutation,
  Tables,
} from '../persistence/store.js';
import type { ProcessInstance } from '../runtime/process-instance.js';
import type { IncidentDoc } from '../runtime/state.js';
import type { TypedValue } from '../variables/typed-value.js';
import { HISTORY_RANK, type HistoryLevel } from './history-level.js';
import { incidentChanges } from './incident-changes.js';
import { jobChanges, jobLogRow, type JobLogDetails, type JobSource } from './job-log.js';

type HistTable =
  | 'historicProcessInstance'
  | 'historicActivityInstance'
  | 'historicTaskInstance'
  | 'historicVariableInstance'
  | 'historicDetail'
  | 'historicIncident'
  | 'historicJobLog';

export interface VariableHistoryContext {
  instanceId: string;
  executionId: string;
  activityInstanceId: string;
  taskId: string | null;
  definitionId: string;
  definitionKey: string;
  tenantId: string | null;
}

export class HistoryWriter {
  private readonly rank: number;
  /** Rows first written by this command, per table, by id (patched in place). */
  private readonly pending: { [T in HistTable]: Map<string, Tables[T]> } = {
    historicProcessInstance: new Map(),
    historicActivityInstance: new Map(),
    historicTaskInstance: new Map(),
    historicVariableInstance: new Map(),
    historicDetail: new Map(),
    historicIncident: new Map(),
    historicJobLog: new Map(),
  };
  private readonly patches: Mutation[] = [];
  /** Jobs this command ran: they leave with a success entry, not a deletion. */
  private readonly executedJobs = new Set<string>();
  /** The failure entry of each job that failed in this command: its failedJob incident's history configuration, as Camunda's. */
  private readonly failureLogs = new Map<string, string>();

  /** `newId`: ids of the job log entries (the engine's time-ordered ids, which their `occurrence` order relies on). */
  constructor(
    level: HistoryLevel,
    private readonly newId: () => string,
  ) {
    this.rank = HISTORY_RANK[level];
  }

  get activityEnabled(): boolean {
    return this.rank >= 1;
  }

  /** Camunda writes the job log at level full only. */
  get jobLogEnabled(): boolean {
    return this.rank >= 3;
  }

  private insert<T extends HistTable>(table: T, row: Tables[T]): void {
    (this.pending[table] as Map<string, Tables[T]>).set(row.id, row);
  }

  private patch<T extends HistTable>(table: T, id: string, set: Partial<Tables[T]>): void {
    const row = (this.pending[table] as Map<string, Tables[T]>).get(id);
    if (row) Object.assign(row, set);
    else this.patches.push({ table, op: 'patch', id, set } as Mutation);
  }

  processStarted(row: HistoricProcessInstanceRow): void {
    if (this.rank >= 1) this.insert('historicProcessInstance', row);
  }

  processEnded(id: string, endTime: Date, startTime: Date, state: InstanceState, endActivityId: string | null, deleteReason: string | null, removalTime: Date | null): void {
    if (this.rank < 1) return;
    this.patch('historicProcessInstance', id, {
      endTime,
      durationMs: endTime.getTime() - startTime.getTime(),
      state,
      endActivityId,
      deleteReason,
      removalTime,
    });
  }

  processStateChanged(id: string, state: InstanceState): void {
    if (this.rank >= 1) this.patch('historicProcessInstance', id, { state });
  }

  activityStarted(row: HistoricActivityInstanceRow): void {
    if (this.rank >= 1) this.insert('historicActivityInstance', row);
  }

  activityUpdated(id: string, set: Partial<HistoricActivityInstanceRow>): void {
    if (this.rank >= 1) this.patch('historicActivityInstance', id, set);
  }

  activityEnded(id: string, startTime: Date, endTime: Date, canceled: boolean, completeScope: boolean): void {
    if (this.rank < 1) return;
    const durationMs = endTime.getTime() - startTime.getTime();
    const row = this.pending.historicActivityInstance.get(id);
    if (row) {
      // The common case: started and ended in this command.
      row.endTime = endTime;
      row.durationMs = durationMs;
      row.canceled = canceled;
      row.completeScope = completeScope;
    } else this.patches.push({ table: 'historicActivityInstance', op: 'patch', id, set: { endTime, durationMs, canceled, completeScope } });
  }

  taskCreated(row: HistoricTaskInstanceRow): void {
    if (this.rank >= 1) this.insert('historicTaskInstance', row);
  }

  taskUpdated(id: string, set: Partial<HistoricTaskInstanceRow>): void {
    if (this.rank >= 1) this.patch('historicTaskInstance', id, set);
  }

  variableCreated(id: string, name: string, value: TypedValue, ctx: VariableHistoryContext, time: Date): void {
    if (this.rank < 2) return;
    this.insert('historicVariableInstance', {
      id,
      name,
      value,
      state: 'CREATED',
      createTime: time,
      removalTime: null,
      ...ctx,
    });
    this.detail(id, name, value, ctx, time, 0);
  }

  variableUpdated(id: string, name: string, value: TypedValue, ctx: VariableHistoryContext, time: Date, revision: number): void {
    if (this.rank < 2) return;
    this.patch('historicVariableInstance', id, { value });
    this.detail(id, name, value, ctx, time, revision);
  }

  variableDeleted(id: string): void {
    if (this.rank >= 2) this.patch('historicVariableInstance', id, { state: 'DELETED' });
  }

  private detail(variableInstanceId: string, name: string, value: TypedValue, ctx: VariableHistoryContext, time: Date, revision: number): void {
    if (this.rank < 3) return;
    this.insert('historicDetail', {
      id: `${variableInstanceId}:${revision}`,
      variableInstanceId,
      name,
      value,
      time,
      revision,
      removalTime: null,
      ...ctx,
    });
  }

  /**
   * Records what the command did to the instance's incidents (Camunda's
   * INCIDENT_CREATE, INCIDENT_RESOLVE and INCIDENT_DELETE, produced at level
   * full only). An ended incident keeps the execution and activity it had last.
   */
  incidentsChanged(inst: ProcessInstance, time: Date): void {
    if (this.rank < 3) return;
    const changes = incidentChanges(inst);
    if (!changes) return;
    for (const x of changes.created) {
      const failureLog = x.type === 'failedJob' && x.configuration !== null ? (this.failureLogs.get(x.configuration) ?? null) : null;
      this.insert('historicIncident', historicIncidentRow(inst, x, failureLog));
    }
    for (const [state, ended] of [['resolved', changes.resolved], ['deleted', changes.deleted]] as const) {
      for (const x of ended) this.patch('historicIncident', x.id, { state, endTime: time, executionId: x.executionId, activityId: x.activityId });
    }
  }

  /** Camunda's INCIDENT_UPDATE (an annotation set or cleared). */
  incidentUpdated(id: string, set: Pick<Partial<HistoricIncidentRow>, 'annotation'>): void {
    if (this.rank >= 3) this.patch('historicIncident', id, set);
  }

  /**
   * Records the jobs the command created and deleted in the instance
   * (Camunda's JOB_CREATE and JOB_DELETE, produced at level full only):
   * a deletion is a job that went without running — its activity was
   * cancelled, an interrupting event left it, the instance was deleted.
   */
  jobsChanged(inst: ProcessInstance, time: Date): void {
    if (!this.jobLogEnabled) return;
    const changes = jobChanges(inst, this.executedJobs);
    if (!changes) return;
    for (const job of changes.created) this.jobLogged('created', job, inst, time);
    for (const job of changes.deleted) this.jobLogged('deleted', job, inst, time);
  }

  /** A job that belongs to no instance (a timer start event's) was created or deleted. */
  definitionJobChanged(state: 'created' | 'deleted', job: JobRow, source: JobSource, time: Date): void {
    if (this.jobLogEnabled) this.jobLogged(state, job, source, time);
  }

  /**
   * The job ran through (Camunda's JOB_SUCCESS), with the retries it has
   * left; one that failed before names its activity as the failed one.
   */
  jobSucceeded(job: JobRow, source: JobSource, time: Date): void {
    this.executedJobs.add(job.id);
    if (!this.jobLogEnabled) return;
    this.jobLogged('successful', job, source, time, { failedActivityId: job.exceptionMessage === null ? null : job.activityId });
  }

  /**
   * A run of the job failed (Camunda's JOB_FAIL): `job` as it was before the
   * run, so the entry has the retries the run started with. The failure is
   * put down to the job's activity.
   */
  jobFailed(job: JobRow, source: JobSource, time: Date, exceptionMessage: string, exceptionStacktrace: string): void {
    if (!this.jobLogEnabled) return;
    const id = this.jobLogged('failed', job, source, time, { exceptionMessage, exceptionStacktrace, failedActivityId: job.activityId });
    this.failureLogs.set(job.id, id);
  }

  private jobLogged(state: JobLogState, job: JobRow, source: JobSource, time: Date, details?: JobLogDetails): string {
    const row = jobLogRow(this.newId(), state, job, source, time, details);
    this.insert('historicJobLog', row);
    return row.id;
  }

  /** Sets the removal time of everything this command wrote for a finished root instance. */
  setRemovalTime(instanceIds: ReadonlySet<string>, removalTime: Date): void {
    for (const rows of Object.values(this.pending) as Map<string, { id: string; instanceId?: string; removalTime: Date | null }>[]) {
      for (const r of rows.values()) if (instanceIds.has(r.instanceId ?? r.id)) r.removalTime = removalTime;
    }
  }

  mutations(out: Mutation[]): void {
    for (const table of Object.keys(this.pending) as HistTable[]) {
      for (const row of this.pending[table].values()) out.push({ table, op: 'insert', row } as Mutation);
    }
    for (const p of this.patches) out.push(p);
  }
}

/**
 * An incident as history first records it: open, its own cause and root
 * cause, as Camunda's root incidents; a failedJob incident names its job's
 * job definition and, as history configuration, the job log entry of the
 * failure that raised it.
 */
function historicIncidentRow(inst: ProcessInstance, x: IncidentDoc, failureLog: string | null): HistoricIncidentRow {
  return {
    id: x.id,
    type: x.type,
    instanceId: inst.id,
    executionId: x.executionId,
    rootInstanceId: inst.rootInstanceId,
    definitionId: inst.definition.id,
    definitionKey: inst.definition.key,
    activityId: x.activityId,
    failedActivityId: x.activityId,
    causeIncidentId: x.id,
    rootCauseIncidentId: x.id,
    configuration: x.configuration,
    historyConfiguration: failureLog,
    message: x.message,
    annotation: x.annotation,
    jobDefinitionId: inst.incidentJobDefinitionId(x),
    createTime: new Date(x.createTime),
    endTime: null,
    removalTime: null,
    tenantId: inst.tenantId,
    state: 'open',
  };
}
