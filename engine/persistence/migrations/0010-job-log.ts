import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The historic job log (Camunda's ACT_HI_JOB_LOG), written at history level
 * full: one row per creation, failed run, successful run and deletion of a
 * job, never changed afterwards except for its removal time. A failure's
 * details (what the job's stacktrace held, stack-free) sit in the row, as
 * `exception_stacktrace`; they are short, and Camunda's separate byte array
 * would cost every failure a second insert. Like 0001 and 0003: timestamps
 * are epoch milliseconds. `job_state` is 'created', 'failed', 'successful' or
 * 'deleted'.
 *
 * `cf_incident.job_definition_id`: a failedJob incident's job definition,
 * which its historic incident (0008) already had a column for.
 */
export class JobLog0010 implements MigrationInterface {
  readonly name = 'JobLog0000000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    for (const sql of postgres ? postgresUp : sqliteUp) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS cf_hi_job_log');
    await queryRunner.query('ALTER TABLE cf_incident DROP COLUMN job_definition_id');
  }
}

interface Types {
  /** Epoch milliseconds. */
  ts: string;
  long: string;
}

const createTable = (t: Types) => `CREATE TABLE cf_hi_job_log (
  id TEXT PRIMARY KEY,
  log_time ${t.ts} NOT NULL,
  job_id TEXT NOT NULL,
  job_due_date ${t.ts},
  job_retries INTEGER NOT NULL,
  job_priority ${t.long} NOT NULL,
  exception_message TEXT,
  exception_stacktrace TEXT,
  job_definition_id TEXT,
  job_definition_type TEXT NOT NULL,
  job_definition_configuration TEXT,
  activity_id TEXT,
  failed_activity_id TEXT,
  execution_id TEXT,
  instance_id TEXT,
  root_instance_id TEXT,
  definition_id TEXT,
  definition_key TEXT,
  deployment_id TEXT,
  tenant_id TEXT,
  hostname TEXT NOT NULL,
  job_state TEXT NOT NULL,
  removal_time ${t.ts}
)`;

/**
 * By instance (the usual filter, and history cleanup deletes by it), by job
 * (a job's whole lifecycle), and in the default order. The other filters are
 * rare operator questions that may scan.
 */
const indexes = [
  'CREATE INDEX cf_idx_hi_job_log_instance ON cf_hi_job_log (instance_id)',
  'CREATE INDEX cf_idx_hi_job_log_job ON cf_hi_job_log (job_id)',
  'CREATE INDEX cf_idx_hi_job_log_time ON cf_hi_job_log (log_time, id)',
];

const addIncidentColumn = 'ALTER TABLE cf_incident ADD COLUMN job_definition_id TEXT';

const sqliteUp = [createTable({ ts: 'INTEGER', long: 'INTEGER' }), ...indexes, addIncidentColumn];

const postgresUp = [createTable({ ts: 'BIGINT', long: 'BIGINT' }), ...indexes, addIncidentColumn];
