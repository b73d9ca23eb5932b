import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer index entries per insert on the hottest tables. History cleanup
 * finds its victims by cf_hi_procinst.removal_time and deletes their child
 * rows by instance id, so the children's removal_time indexes were never
 * read; cf_hi_procinst.end_time filters are not selective. Columns that are
 * mostly null (super instance, task-local variable, assignee, the other half
 * of an identity link) get partial indexes that hold only the non-null rows:
 * equality and range filters still use them in both databases.
 */
export class LeanIndexes0002 implements MigrationInterface {
  readonly name = 'LeanIndexes0000000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of dropped) await queryRunner.query(`DROP INDEX IF EXISTS ${index.name}`);
    for (const index of partial) await queryRunner.query(`DROP INDEX IF EXISTS ${index.name}`);
    for (const index of partial) {
      await queryRunner.query(`CREATE INDEX ${index.name} ON ${index.table} (${index.column}) WHERE ${index.column} IS NOT NULL`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [...dropped, ...partial]) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index.name}`);
      await queryRunner.query(`CREATE INDEX ${index.name} ON ${index.table} (${index.column})`);
    }
  }
}

const dropped = [
  { name: 'cf_idx_hi_procinst_end', table: 'cf_hi_procinst', column: 'end_time' },
  { name: 'cf_idx_hi_actinst_removal', table: 'cf_hi_actinst', column: 'removal_time' },
  { name: 'cf_idx_hi_taskinst_removal', table: 'cf_hi_taskinst', column: 'removal_time' },
  { name: 'cf_idx_hi_varinst_removal', table: 'cf_hi_varinst', column: 'removal_time' },
  { name: 'cf_idx_hi_detail_removal', table: 'cf_hi_detail', column: 'removal_time' },
];

const partial = [
  { name: 'cf_idx_hi_procinst_removal', table: 'cf_hi_procinst', column: 'removal_time' },
  { name: 'cf_idx_hi_procinst_super', table: 'cf_hi_procinst', column: 'super_instance_id' },
  { name: 'cf_idx_hi_procinst_business_key', table: 'cf_hi_procinst', column: 'business_key' },
  { name: 'cf_idx_procinst_super', table: 'cf_process_instance', column: 'super_instance_id' },
  { name: 'cf_idx_procinst_business_key', table: 'cf_process_instance', column: 'business_key' },
  { name: 'cf_idx_task_assignee', table: 'cf_task', column: 'assignee' },
  { name: 'cf_idx_identity_link_group', table: 'cf_identity_link', column: 'group_id' },
  { name: 'cf_idx_identity_link_user', table: 'cf_identity_link', column: 'user_id' },
  { name: 'cf_idx_variable_task', table: 'cf_variable', column: 'task_id' },
  { name: 'cf_idx_hi_taskinst_assignee', table: 'cf_hi_taskinst', column: 'assignee' },
];
