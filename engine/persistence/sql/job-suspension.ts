/**
 * The SQL of job and job definition suspension (Camunda's
 * ManagementService.updateJobSuspensionState and
 * updateJobDefinitionSuspensionState), shared by both stores.
 */
import type { JobFilter } from '../store.js';
import { SqlParams, type Dialect } from './dialect.js';
import { jobQuery, whereClause } from './query-builder.js';

/**
 * A new job is created suspended when its job definition is suspended (as
 * Camunda's JobDeclaration gives a job its definition's suspension state): the
 * state recorded in cf_job_definition_state, else that of the process
 * definition. Evaluated inside every job INSERT, reading the new row as `v`,
 * so a job created on any node sees a suspension committed before it without
 * a read of its own.
 */
const SUSPENDED_ON_INSERT = `(v.suspended OR COALESCE(
  (SELECT s.suspended FROM cf_job_definition_state s WHERE s.id = v.job_definition_id),
  (SELECT d.suspended FROM cf_process_definition d WHERE d.id = v.definition_id AND v.job_definition_id IS NOT NULL),
  FALSE))`;

/** What a job INSERT … SELECT writes into `column`, the new row aliased `v`. */
export function jobInsertValue(column: string): string {
  return column === 'suspended' ? SUSPENDED_ON_INSERT : `v.${column}`;
}

/** `UPDATE cf_job … SET suspended` of the jobs the filter selects; parameters go to `q`. */
function updateJobs(q: SqlParams, filter: JobFilter, suspended: boolean): string {
  const set = q.add(suspended);
  return `UPDATE cf_job AS r SET suspended = ${set}${whereClause(jobQuery, filter, q)} RETURNING id`;
}

export function jobSuspensionSql(dialect: Dialect, filter: JobFilter, suspended: boolean): { sql: string; params: unknown[] } {
  const q = new SqlParams(dialect);
  return { sql: updateJobs(q, filter, suspended), params: q.values };
}

/** SQLite: records one job definition's state ($1 id, $2 process definition id, $3 suspended). */
export const UPSERT_JOB_DEFINITION_STATE_SQL = `INSERT INTO cf_job_definition_state (id, definition_id, suspended) VALUES ($1, $2, $3)
  ON CONFLICT (id) DO UPDATE SET suspended = excluded.suspended`;

/**
 * PostgreSQL: records the job definitions' state and updates the jobs in one
 * statement (a data-modifying CTE), so both change in one round trip and
 * transaction.
 */
export function postgresJobDefinitionSuspensionSql(
  dialect: Dialect,
  jobDefinitions: readonly { id: string; definitionId: string }[],
  suspended: boolean,
  jobs: JobFilter | null,
): { sql: string; params: unknown[] } {
  const q = new SqlParams(dialect);
  const ids = q.add(jobDefinitions.map((d) => d.id));
  const definitionIds = q.add(jobDefinitions.map((d) => d.definitionId));
  const state = q.add(suspended);
  const upsert = `INSERT INTO cf_job_definition_state (id, definition_id, suspended)
    SELECT u.id, u.definition_id, ${state} FROM unnest(${ids}::text[], ${definitionIds}::text[]) AS u(id, definition_id)
    ON CONFLICT (id) DO UPDATE SET suspended = EXCLUDED.suspended RETURNING id`;
  if (!jobs) return { sql: upsert, params: q.values };
  return { sql: `WITH states AS (${upsert}) ${updateJobs(q, jobs, suspended)}`, params: q.values };
}
