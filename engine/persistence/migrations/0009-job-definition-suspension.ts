import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suspension of single jobs and of job definitions (Camunda's
 * ManagementService.suspendJob… and suspendJobDefinition…).
 *
 * `cf_job.job_definition_id`: the job definition a job belongs to (see
 * ../../repository/job-definitions.ts), null for jobs without one and for jobs
 * created before this migration. Not indexed: only operator commands and
 * queries select by it, while every job insert and delete would pay for an
 * index.
 *
 * `cf_job_definition_state`: job definitions are derived from the deployed
 * models and have no rows of their own; this table records the suspension
 * state of those whose state was set (by id, by process definition, or with
 * their process definition). A job definition without a row follows its
 * process definition. New jobs of a suspended job definition are created
 * suspended (../sql/job-definition-suspension.ts).
 */
export class JobDefinitionSuspension0009 implements MigrationInterface {
  readonly name = 'JobDefinitionSuspension0000000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    const bool = queryRunner.connection.options.type === 'postgres' ? 'BOOLEAN' : 'INTEGER';
    await queryRunner.query('ALTER TABLE cf_job ADD COLUMN job_definition_id TEXT');
    await queryRunner.query(`CREATE TABLE cf_job_definition_state (
      id TEXT PRIMARY KEY,
      definition_id TEXT NOT NULL,
      suspended ${bool} NOT NULL
    )`);
    await queryRunner.query('CREATE INDEX cf_idx_job_definition_state_definition ON cf_job_definition_state (definition_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS cf_job_definition_state');
    await queryRunner.query('ALTER TABLE cf_job DROP COLUMN job_definition_id');
  }
}
