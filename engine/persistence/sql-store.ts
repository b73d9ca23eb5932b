/**
 * What SqliteStore and PostgresStore share: every read of the `Store`
 * contract, built by ./sql/query-builder.ts and decoded by
 * ./sql/table-codec.ts. The subclasses supply the driver calls, commit,
 * migrations, history cleanup and the job claim.
 */
import { compareAcquisitionOrder, NEXT_JOB_DUE_DATE_SQL } from './sql/acquire-jobs.js';
import { fetchAndLockSql, fetchOrder } from './sql/fetch-external-tasks.js';
import { jobSuspensionSql } from './sql/job-suspension.js';
import type { Dialect } from './sql/dialect.js';
import { SqlParams } from './sql/dialect.js';
import {
  buildCount,
  bufferedMessageQuery,
  buildFind,
  deploymentQuery,
  eventSubscriptionQuery,
  executionQuery,
  externalTaskQuery,
  historicActivityInstanceQuery,
  historicDetailQuery,
  historicIncidentQuery,
  historicJobLogQuery,
  historicProcessInstanceQuery,
  historicTaskInstanceQuery,
  historicVariableInstanceQuery,
  incidentQuery,
  jobQuery,
  processDefinitionQuery,
  processInstanceQuery,
  taskQuery,
  variableQuery,
  type QueryDef,
} from './sql/query-builder.js';
import { attachCandidates, codecs, type DbRow } from './sql/table-codec.js';
import type {
  BufferedMessageFilter,
  BufferedMessageRow,
  BufferedMessageSortField,
  DeploymentFilter,
  DeploymentRow,
  EventSubscriptionFilter,
  EventSubscriptionRow,
  ExecutionFilter,
  ExecutionRow,
  ExternalTaskFilter,
  ExternalTaskRow,
  ExternalTaskSortField,
  ExternalTaskTopicRequest,
  HistoricActivityInstanceFilter,
  HistoricActivityInstanceRow,
  HistoricDetailFilter,
  HistoricDetailRow,
  HistoricIncidentFilter,
  HistoricIncidentRow,
  HistoricIncidentSortField,
  HistoricJobLogFilter,
  HistoricJobLogRow,
  HistoricJobLogSortField,
  HistoricProcessInstanceFilter,
  HistoricProcessInstanceRow,
  HistoricTaskInstanceFilter,
  HistoricTaskInstanceRow,
  HistoricVariableInstanceFilter,
  HistoricVariableInstanceRow,
  IncidentFilter,
  IncidentRow,
  JobDefinitionStateRow,
  JobFilter,
  JobRow,
  Mutation,
  Page,
  ProcessDefinitionFilter,
  ProcessDefinitionRow,
  ProcessInstanceFilter,
  ProcessInstanceRow,
  ResourceRow,
  Sorting,
  Store,
  TableName,
  Tables,
  TaskFilter,
  TaskRow,
  VariableFilter,
  VariableRow,
} from './store.js';

/** Every table the store owns, children before parents for deletes. */
export const ALL_TABLES = [
  'cf_identity_link',
  'cf_task',
  'cf_variable',
  'cf_execution',
  'cf_process_instance',
  'cf_process_definition',
  'cf_resource',
  'cf_deployment',
  'cf_hi_detail',
  'cf_hi_varinst',
  'cf_hi_taskinst',
  'cf_hi_actinst',
  'cf_hi_procinst',
  'cf_hi_incident',
  'cf_hi_job_log',
  'cf_job',
  'cf_job_definition_state',
  'cf_incident',
  'cf_event_subscription',
  'cf_external_task',
  'cf_buffered_message',
] as const;

const CANDIDATE_CHUNK = 1000;

const latestDefinition = (tenant: string) =>
  `SELECT * FROM cf_process_definition WHERE def_key = $1 AND ${tenant} ORDER BY version DESC LIMIT 1`;

export abstract class SqlStore implements Store {
  abstract readonly kind: 'sqlite' | 'postgres';
  protected abstract readonly dialect: Dialect;

  /**
   * Runs a read statement. `prepared` marks fixed texts worth preparing once
   * per connection (the hot single-row lookups).
   */
  protected abstract query(sql: string, params: readonly unknown[], prepared?: boolean): Promise<DbRow[]>;

  abstract migrate(): Promise<void>;
  abstract isMigrated(): Promise<boolean>;
  abstract close(): Promise<void>;
  abstract commit(mutations: readonly Mutation[]): Promise<void>;
  abstract cleanupHistory(now: Date, batchSize: number): Promise<number>;
  /** One transaction: the states and the jobs change together (see ./sql/job-suspension.ts). */
  abstract updateJobDefinitionSuspensionState(jobDefinitions: readonly Omit<JobDefinitionStateRow, 'suspended'>[], suspended: boolean, jobs: JobFilter | null): Promise<void>;
  /**
   * Runs the claim of ./sql/acquire-jobs.ts (times as epoch ms, `max` > 0)
   * atomically and returns the claimed rows as the database gives them.
   */
  protected abstract claimJobs(owner: string, now: number, lockExpiration: number, max: number): Promise<DbRow[]>;
  /** Runs the fetch-and-lock statement of ./sql/fetch-external-tasks.ts atomically and returns the locked rows. */
  protected abstract claimExternalTasks(sql: string, params: readonly unknown[]): Promise<DbRow[]>;

  private async rows<T extends TableName>(table: T, sql: string, params: readonly unknown[], prepared = false): Promise<Tables[T][]> {
    const codec = codecs[table];
    const rows = (await this.query(sql, params, prepared)).map((r) => codec.decode(r));
    if (table === 'task' && rows.length) await this.fillCandidates(rows as TaskRow[]);
    return rows;
  }

  private async row<T extends TableName>(table: T, sql: string, params: readonly unknown[]): Promise<Tables[T] | null> {
    return (await this.rows(table, sql, params, true))[0] ?? null;
  }

  private async fillCandidates(tasks: TaskRow[]): Promise<void> {
    // Chunked: both databases limit the number of parameters of one statement.
    for (let i = 0; i < tasks.length; i += CANDIDATE_CHUNK) {
      const chunk = tasks.slice(i, i + CANDIDATE_CHUNK);
      const q = new SqlParams(this.dialect);
      const sql = `SELECT task_id, user_id, group_id FROM cf_identity_link WHERE task_id IN ${q.list(chunk.map((t) => t.id))} ORDER BY id`;
      attachCandidates(chunk, await this.query(sql, q.values, chunk.length === 1));
    }
  }

  private async find<T extends TableName, F, S extends string>(
    def: QueryDef<T, F, S>,
    filter: F,
    page?: Page,
    sort?: readonly Sorting<S>[],
  ): Promise<Tables[T][]> {
    const { sql, params } = buildFind(def, filter, this.dialect, page, sort);
    return this.rows(def.table, sql, params);
  }

  private async count<F>(def: QueryDef<TableName, F, string>, filter: F): Promise<number> {
    const { sql, params } = buildCount(def, filter, this.dialect);
    const [row] = await this.query(sql, params);
    return Number(row?.['n'] ?? 0);
  }

  getProcessInstance(id: string): Promise<ProcessInstanceRow | null> {
    return this.row('processInstance', 'SELECT * FROM cf_process_instance WHERE id = $1', [id]);
  }

  getProcessDefinition(id: string): Promise<ProcessDefinitionRow | null> {
    return this.row('processDefinition', 'SELECT * FROM cf_process_definition WHERE id = $1', [id]);
  }

  getLatestProcessDefinition(key: string, tenantId: string | null): Promise<ProcessDefinitionRow | null> {
    return tenantId === null
      ? this.row('processDefinition', latestDefinition('tenant_id IS NULL'), [key])
      : this.row('processDefinition', latestDefinition('tenant_id = $2'), [key, tenantId]);
  }

  getProcessDefinitionByVersion(key: string, version: number, tenantId: string | null): Promise<ProcessDefinitionRow | null> {
    const base = 'SELECT * FROM cf_process_definition WHERE def_key = $1 AND version = $2 AND';
    return tenantId === null
      ? this.row('processDefinition', `${base} tenant_id IS NULL`, [key, version])
      : this.row('processDefinition', `${base} tenant_id = $3`, [key, version, tenantId]);
  }

  getProcessDefinitionByVersionTag(key: string, versionTag: string, tenantId: string | null): Promise<ProcessDefinitionRow | null> {
    const base = 'SELECT * FROM cf_process_definition WHERE def_key = $1 AND version_tag = $2 AND';
    const order = 'ORDER BY version DESC LIMIT 1';
    return tenantId === null
      ? this.row('processDefinition', `${base} tenant_id IS NULL ${order}`, [key, versionTag])
      : this.row('processDefinition', `${base} tenant_id = $3 ${order}`, [key, versionTag, tenantId]);
  }

  getProcessDefinitionInDeployment(key: string, deploymentId: string): Promise<ProcessDefinitionRow | null> {
    return this.row(
      'processDefinition',
      'SELECT * FROM cf_process_definition WHERE def_key = $1 AND deployment_id = $2 ORDER BY version DESC LIMIT 1',
      [key, deploymentId],
    );
  }

  getDeployment(id: string): Promise<DeploymentRow | null> {
    return this.row('deployment', 'SELECT * FROM cf_deployment WHERE id = $1', [id]);
  }

  getResources(deploymentId: string): Promise<ResourceRow[]> {
    return this.rows('resource', 'SELECT * FROM cf_resource WHERE deployment_id = $1 ORDER BY name, id', [deploymentId], true);
  }

  getResource(deploymentId: string, name: string): Promise<ResourceRow | null> {
    return this.row('resource', 'SELECT * FROM cf_resource WHERE deployment_id = $1 AND name = $2 ORDER BY id LIMIT 1', [deploymentId, name]);
  }

  async getLatestResourcesByName(deploymentName: string, tenantId: string | null, resourceNames: string[]): Promise<ResourceRow[]> {
    if (!resourceNames.length) return [];
    const q = new SqlParams(this.dialect);
    const name = q.add(deploymentName);
    const tenant = tenantId === null ? 'd.tenant_id IS NULL' : `d.tenant_id = ${q.add(tenantId)}`;
    const sql = `SELECT * FROM cf_resource WHERE deployment_id = (
        SELECT d.id FROM cf_deployment d WHERE d.name = ${name} AND ${tenant}
          AND EXISTS (SELECT 1 FROM cf_resource x WHERE x.deployment_id = d.id AND x.name IN ${q.list(resourceNames)})
        ORDER BY d.deploy_time DESC, d.id DESC LIMIT 1)
      ORDER BY name, id`;
    return this.rows('resource', sql, q.values);
  }

  getTask(id: string): Promise<TaskRow | null> {
    return this.row('task', 'SELECT * FROM cf_task WHERE id = $1', [id]);
  }

  findDeployments(filter: DeploymentFilter, page?: Page, sort?: Sorting<'id' | 'name' | 'deploymentTime' | 'tenantId'>[]): Promise<DeploymentRow[]> {
    return this.find(deploymentQuery, filter, page, sort);
  }

  countDeployments(filter: DeploymentFilter): Promise<number> {
    return this.count(deploymentQuery, filter);
  }

  findProcessDefinitions(
    filter: ProcessDefinitionFilter,
    page?: Page,
    sort?: Sorting<'id' | 'key' | 'name' | 'version' | 'deploymentId' | 'tenantId' | 'versionTag'>[],
  ): Promise<ProcessDefinitionRow[]> {
    return this.find(processDefinitionQuery, filter, page, sort);
  }

  countProcessDefinitions(filter: ProcessDefinitionFilter): Promise<number> {
    return this.count(processDefinitionQuery, filter);
  }

  findProcessInstances(
    filter: ProcessInstanceFilter,
    page?: Page,
    sort?: Sorting<'id' | 'definitionKey' | 'definitionId' | 'businessKey' | 'startTime' | 'tenantId'>[],
  ): Promise<ProcessInstanceRow[]> {
    return this.find(processInstanceQuery, filter, page, sort);
  }

  countProcessInstances(filter: ProcessInstanceFilter): Promise<number> {
    return this.count(processInstanceQuery, filter);
  }

  findExecutions(filter: ExecutionFilter, page?: Page): Promise<ExecutionRow[]> {
    return this.find(executionQuery, filter, page);
  }

  countExecutions(filter: ExecutionFilter): Promise<number> {
    return this.count(executionQuery, filter);
  }

  findTasks(
    filter: TaskFilter,
    page?: Page,
    sort?: Sorting<'id' | 'name' | 'assignee' | 'created' | 'dueDate' | 'followUpDate' | 'priority' | 'instanceId' | 'taskDefinitionKey'>[],
  ): Promise<TaskRow[]> {
    return this.find(taskQuery, filter, page, sort);
  }

  countTasks(filter: TaskFilter): Promise<number> {
    return this.count(taskQuery, filter);
  }

  findVariables(filter: VariableFilter, page?: Page): Promise<VariableRow[]> {
    return this.find(variableQuery, filter, page);
  }

  countVariables(filter: VariableFilter): Promise<number> {
    return this.count(variableQuery, filter);
  }

  findHistoricProcessInstances(
    filter: HistoricProcessInstanceFilter,
    page?: Page,
    sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'definitionKey' | 'businessKey'>[],
  ): Promise<HistoricProcessInstanceRow[]> {
    return this.find(historicProcessInstanceQuery, filter, page, sort);
  }

  countHistoricProcessInstances(filter: HistoricProcessInstanceFilter): Promise<number> {
    return this.count(historicProcessInstanceQuery, filter);
  }

  findHistoricActivityInstances(
    filter: HistoricActivityInstanceFilter,
    page?: Page,
    sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'activityId' | 'sequenceCounter' | 'activityName' | 'activityType' | 'instanceId' | 'executionId' | 'definitionId' | 'tenantId'>[],
  ): Promise<HistoricActivityInstanceRow[]> {
    return this.find(
      historicActivityInstanceQuery,
      filter,
      page,
      sort,
    );
  }

  countHistoricActivityInstances(filter: HistoricActivityInstanceFilter): Promise<number> {
    return this.count(historicActivityInstanceQuery, filter);
  }

  findHistoricTaskInstances(
    filter: HistoricTaskInstanceFilter,
    page?: Page,
    sort?: Sorting<'id' | 'startTime' | 'endTime' | 'duration' | 'name' | 'assignee'>[],
  ): Promise<HistoricTaskInstanceRow[]> {
    return this.find(historicTaskInstanceQuery, filter, page, sort);
  }

  countHistoricTaskInstances(filter: HistoricTaskInstanceFilter): Promise<number> {
    return this.count(historicTaskInstanceQuery, filter);
  }

  findHistoricVariableInstances(filter: HistoricVariableInstanceFilter, page?: Page): Promise<HistoricVariableInstanceRow[]> {
    return this.find(
      historicVariableInstanceQuery,
      filter,
      page,
    );
  }

  countHistoricVariableInstances(filter: HistoricVariableInstanceFilter): Promise<number> {
    return this.count(historicVariableInstanceQuery, filter);
  }

  findHistoricDetails(filter: HistoricDetailFilter, page?: Page): Promise<HistoricDetailRow[]> {
    return this.find(historicDetailQuery, filter, page);
  }

  findHistoricIncidents(filter: HistoricIncidentFilter, page?: Page, sort?: Sorting<HistoricIncidentSortField>[]): Promise<HistoricIncidentRow[]> {
    return this.find(historicIncidentQuery, filter, page, sort);
  }

  countHistoricIncidents(filter: HistoricIncidentFilter): Promise<number> {
    return this.count(historicIncidentQuery, filter);
  }

  findHistoricJobLogs(filter: HistoricJobLogFilter, page?: Page, sort?: Sorting<HistoricJobLogSortField>[]): Promise<HistoricJobLogRow[]> {
    return this.find(historicJobLogQuery, filter, page, sort);
  }

  countHistoricJobLogs(filter: HistoricJobLogFilter): Promise<number> {
    return this.count(historicJobLogQuery, filter);
  }

  async acquireJobs(owner: string, now: Date, lockExpiration: Date, max: number): Promise<JobRow[]> {
    const limit = Math.floor(max);
    if (!(limit > 0)) return [];
    const rows = (await this.claimJobs(owner, now.getTime(), lockExpiration.getTime(), limit)).map((r) => codecs.job.decode(r));
    return rows.sort(compareAcquisitionOrder);
  }

  async nextJobDueDate(now: Date): Promise<Date | null> {
    const [row] = await this.query(NEXT_JOB_DUE_DATE_SQL, [now.getTime()], true);
    const due = row?.['due'];
    return due == null ? null : new Date(Number(due));
  }

  getJob(id: string): Promise<JobRow | null> {
    return this.row('job', 'SELECT * FROM cf_job WHERE id = $1', [id]);
  }

  findJobs(filter: JobFilter, page?: Page, sort?: Sorting<'id' | 'dueDate' | 'priority' | 'retries' | 'instanceId'>[]): Promise<JobRow[]> {
    return this.find(jobQuery, filter, page, sort);
  }

  countJobs(filter: JobFilter): Promise<number> {
    return this.count(jobQuery, filter);
  }

  async updateJobSuspensionState(filter: JobFilter, suspended: boolean): Promise<void> {
    const { sql, params } = jobSuspensionSql(this.dialect, filter, suspended);
    await this.query(sql, params);
  }

  async findJobDefinitionStates(definitionIds: readonly string[]): Promise<JobDefinitionStateRow[]> {
    if (!definitionIds.length) return [];
    const q = new SqlParams(this.dialect);
    const rows = await this.query(`SELECT id, definition_id, suspended FROM cf_job_definition_state WHERE definition_id IN ${q.list(definitionIds)}`, q.values);
    return rows.map((r) => ({ id: r['id'] as string, definitionId: r['definition_id'] as string, suspended: r['suspended'] === true || r['suspended'] === 1 }));
  }

  async deleteJobDefinitionStates(definitionIds: readonly string[]): Promise<void> {
    if (!definitionIds.length) return;
    const q = new SqlParams(this.dialect);
    await this.query(`DELETE FROM cf_job_definition_state WHERE definition_id IN ${q.list(definitionIds)} RETURNING id`, q.values);
  }

  findIncidents(filter: IncidentFilter, page?: Page): Promise<IncidentRow[]> {
    return this.find(incidentQuery, filter, page);
  }

  countIncidents(filter: IncidentFilter): Promise<number> {
    return this.count(incidentQuery, filter);
  }

  async fetchAndLockExternalTasks(
    workerId: string,
    now: Date,
    topics: readonly ExternalTaskTopicRequest[],
    max: number,
    usePriority: boolean,
    createTimeOrder: 'asc' | 'desc' = 'asc',
  ): Promise<ExternalTaskRow[]> {
    if (!topics.length || !(Math.floor(max) > 0)) return [];
    const { sql, params } = fetchAndLockSql(this.dialect, { workerId, now, topics, max, usePriority, createTimeOrder });
    const rows = (await this.claimExternalTasks(sql, params)).map((r) => codecs.externalTask.decode(r));
    return rows.sort(fetchOrder(usePriority, createTimeOrder));
  }

  getExternalTask(id: string): Promise<ExternalTaskRow | null> {
    return this.row('externalTask', 'SELECT * FROM cf_external_task WHERE id = $1', [id]);
  }

  findExternalTasks(filter: ExternalTaskFilter, page?: Page, sort?: Sorting<ExternalTaskSortField>[]): Promise<ExternalTaskRow[]> {
    return this.find(externalTaskQuery, filter, page, sort);
  }

  countExternalTasks(filter: ExternalTaskFilter): Promise<number> {
    return this.count(externalTaskQuery, filter);
  }

  findEventSubscriptions(filter: EventSubscriptionFilter, page?: Page): Promise<EventSubscriptionRow[]> {
    return this.find(eventSubscriptionQuery, filter, page);
  }

  countEventSubscriptions(filter: EventSubscriptionFilter): Promise<number> {
    return this.count(eventSubscriptionQuery, filter);
  }

  findBufferedMessages(filter: BufferedMessageFilter, page?: Page, sort?: Sorting<BufferedMessageSortField>[]): Promise<BufferedMessageRow[]> {
    return this.find(bufferedMessageQuery, filter, page, sort);
  }

  countBufferedMessages(filter: BufferedMessageFilter): Promise<number> {
    return this.count(bufferedMessageQuery, filter);
  }
}
