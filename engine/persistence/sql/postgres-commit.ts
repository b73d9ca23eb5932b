/**
 * The hot SQL of PostgresStore.commit. Each batch of rows (see
 * mutation-plan.ts) becomes one statement over `unnest`ed column arrays, so
 * its text does not depend on the row count and is prepared once per pooled
 * connection. When no row is touched twice, all batches are joined into one
 * statement of data-modifying CTEs: the whole commit is a single round trip
 * and atomic without BEGIN/COMMIT. Its final SELECT calls cf_raise_conflict
 * (migration 0001) when an optimistic lock did not match, which aborts the
 * statement and so the whole commit.
 */
import type { Mutation, TaskRow } from '../store.js';
import { postgresDialect } from './dialect.js';
import type { Batch, Plan } from './mutation-plan.js';
import { mutationId } from './mutation-plan.js';
import { candidateLinks, codecs, type CandidateLink, type ColumnSpec, type TableCodec } from './table-codec.js';

/** One statement with its own parameters ($1…). */
export interface Part {
  readonly sql: string;
  readonly values: unknown[];
  /** The statement returns the ids it changed and must have changed all of `ids` (parameter `idsParam`). */
  readonly check?: { readonly op: 'UPDATE' | 'DELETE'; readonly ids: readonly string[]; readonly idsParam: number };
}

export interface PgCommit {
  /** Run one by one inside BEGIN/COMMIT, checking each `check`. */
  readonly parts: readonly Part[];
  /** The whole commit as one self-checking statement; absent when a row is touched twice. */
  readonly single?: { readonly text: string; readonly values: unknown[] };
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** Per column, the array of its values over the rows. */
function columnArrays(codec: TableCodec, rows: readonly object[], columns: readonly ColumnSpec[]): unknown[][] {
  const arrays: unknown[][] = columns.map(() => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const values = codec.encode(rows[r] as never, postgresDialect, columns);
    for (let c = 0; c < values.length; c++) arrays[c]![r] = values[c];
  }
  return arrays;
}

function insertLinks(links: readonly CandidateLink[]): Part | null {
  if (!links.length) return null;
  const q = new Params();
  const sql =
    `INSERT INTO cf_identity_link (task_id, link_type, user_id, group_id) SELECT t, 'candidate', u, g FROM unnest(` +
    `${q.add(links.map((l) => l.taskId), 'text[]')}, ${q.add(links.map((l) => l.userId), 'text[]')}, ` +
    `${q.add(links.map((l) => l.groupId), 'text[]')}) AS x(t, u, g)`;
  return { sql, values: q.values };
}

function deleteLinks(taskIds: readonly string[], kind?: 'user_id' | 'group_id'): Part {
  const only = kind ? ` AND ${kind} IS NOT NULL` : '';
  return { sql: `DELETE FROM cf_identity_link WHERE task_id = ANY($1::text[])${only}`, values: [taskIds] };
}

function expectedRevs(batch: Batch): (number | undefined)[] {
  return batch.mutations.map((m) => (m as { expectedRev?: number }).expectedRev);
}

/** UPDATE … FROM unnest(…): sets `columns` of the rows matched by id (and, when checked, rev). */
function updateFromArrays(batch: Batch, rows: readonly object[], columns: readonly ColumnSpec[], ids: readonly string[]): Part {
  const codec = codecs[batch.table];
  const idColumn = codec.columns.find((c) => c.name === 'id')!;
  const all = [idColumn, ...columns];
  const q = new Params();
  const arrays = columnArrays(codec, rows, all);
  const params = all.map((c, i) => q.add(arrays[i], `${c.pgType}[]`));
  const names = all.map((c) => c.name);
  const set = columns.map((c) => `${c.name} = v.${c.name}`);
  let where = 't.id = v.id';
  if (batch.checked) {
    params.push(q.add(expectedRevs(batch), 'integer[]'));
    names.push('expected_rev');
    where += ' AND t.rev = v.expected_rev';
  }
  const sql = `UPDATE ${codec.sqlName} AS t SET ${set.join(', ')} FROM unnest(${params.join(', ')}) AS v(${names.join(', ')}) WHERE ${where}`;
  return batch.checked ? { sql: `${sql} RETURNING t.id`, values: q.values, check: { op: 'UPDATE', ids, idsParam: 1 } } : { sql, values: q.values };
}

function batchParts(batch: Batch): Part[] {
  const codec = codecs[batch.table];
  const table = codec.sqlName;
  const ids = batch.mutations.map(mutationId);
  const parts: Part[] = [];
  const add = (part: Part | null) => part && parts.push(part);
  switch (batch.op) {
    case 'delete':
      add(
        batch.checked
          ? {
              sql: `DELETE FROM ${table} AS t USING unnest($1::text[], $2::integer[]) AS v(id, expected_rev) WHERE t.id = v.id AND t.rev = v.expected_rev RETURNING t.id`,
              values: [ids, expectedRevs(batch)],
              check: { op: 'DELETE', ids, idsParam: 1 },
            }
          : { sql: `DELETE FROM ${table} WHERE id = ANY($1::text[])`, values: [ids] },
      );
      if (batch.table === 'task') add(deleteLinks(ids));
      break;
    case 'insert':
    case 'update': {
      const rows = batch.mutations.map((m) => (m as Extract<Mutation, { op: 'insert' | 'update' }>).row);
      if (batch.op === 'insert') {
        const q = new Params();
        const arrays = columnArrays(codec, rows, codec.columns);
        const params = codec.columns.map((c, i) => q.add(arrays[i], `${c.pgType}[]`));
        const names = codec.columns.map((c) => c.name);
        add({ sql: `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${params.join(', ')})`, values: q.values });
      } else {
        add(updateFromArrays(batch, rows, codec.columns.filter((c) => c.name !== 'id'), ids));
        if (batch.table === 'task') add(deleteLinks(ids));
      }
      if (batch.table === 'task') add(insertLinks((rows as TaskRow[]).flatMap((t) => candidateLinks(t.id, t))));
      break;
    }
    case 'patch': {
      const sets = batch.mutations.map((m) => ({ ...(m as Extract<Mutation, { op: 'patch' }>).set, id: mutationId(m) }));
      const columns = codec.patchColumns(batch.fields);
      if (columns.length) add(updateFromArrays(batch, sets, columns, ids));
      if (batch.table === 'task') {
        const users = batch.fields.includes('candidateUsers');
        const groups = batch.fields.includes('candidateGroups');
        if (users || groups) {
          add(deleteLinks(ids, users && groups ? undefined : users ? 'user_id' : 'group_id'));
          add(insertLinks((sets as Partial<TaskRow>[]).flatMap((t) => candidateLinks(t.id!, t))));
        }
      }
      break;
    }
  }
  return parts;
}

export function buildCommit(plan: Plan): PgCommit {
  const parts = plan.batches.flatMap(batchParts);
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && (!only.check || only.check.ids.length === 1)) {
    // One statement that changes its one checked row or nothing at all: atomic as it is.
    return { parts, single: { text: only.sql, values: only.values } };
  }
  if (!plan.independent || !parts.length) return { parts };
  const values: unknown[] = [];
  const ctes: string[] = [];
  const checks: string[] = [];
  parts.forEach((part, i) => {
    const offset = values.length;
    values.push(...part.values);
    ctes.push(`p${i} AS (${offset ? part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : part.sql})`);
    if (part.check) {
      const ids = `$${part.check.idsParam + offset}::text[]`;
      checks.push(
        `CASE WHEN (SELECT count(*) FROM p${i}) <> cardinality(${ids}) THEN cf_raise_conflict('${part.check.op}', ` +
          `(SELECT x FROM unnest(${ids}) AS x WHERE x NOT IN (SELECT id FROM p${i}) LIMIT 1)) END`,
      );
    }
  });
  return { parts, single: { text: `WITH ${ctes.join(', ')} SELECT ${checks.length ? checks.join(', ') : '1'}`, values } };
}
