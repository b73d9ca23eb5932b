import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite only: the history tables written by every command become WITHOUT
 * ROWID tables, clustered on their (time-ordered) id. A rowid table with a
 * TEXT primary key keeps two B-trees — the rows and the key index — so every
 * insert touched one more B-tree than needed. PostgreSQL's heap tables have no
 * such duplicate and are left as they are.
 */
export class ClusteredHistory0005 implements MigrationInterface {
  readonly name = 'ClusteredHistory0000000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') return;
    for (const table of TABLES) await rebuild(queryRunner, table, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') return;
    for (const table of TABLES) await rebuild(queryRunner, table, false);
  }
}

const TABLES = ['cf_hi_actinst', 'cf_hi_procinst'];

async function rebuild(q: QueryRunner, table: string, withoutRowid: boolean): Promise<void> {
  const [row] = (await q.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as { sql: string }[];
  const indexes = (await q.query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [table])) as { sql: string }[];
  const body = row!.sql.replace(/\)\s*(WITHOUT ROWID)?\s*$/i, ')');
  const create = body.replace(new RegExp(`^CREATE TABLE\\s+"?${table}"?`, 'i'), `CREATE TABLE ${table}_new`) + (withoutRowid ? ' WITHOUT ROWID' : '');
  await q.query(create);
  await q.query(`INSERT INTO ${table}_new SELECT * FROM ${table}`);
  await q.query(`DROP TABLE ${table}`);
  await q.query(`ALTER TABLE ${table}_new RENAME TO ${table}`);
  for (const ix of indexes) await q.query(ix.sql);
}
