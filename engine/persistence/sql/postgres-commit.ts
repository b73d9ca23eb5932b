/**
 * The hot SQL of PostgresStore.commit. Each batch of rows (see
 * mutation-plan.ts) becomes one statement that reads its rows from a single
 * JSON parameter, an array of column-value arrays. So a statement's text
 * depends only on the batch's shape: it is built once per process and
 * prepared once per pooled connection, and encoding a batch is one
 * JSON.stringify. When no row is touched twice, all batches are joined into
 * one statement of data-modifying CTEs: the whole commit is a single round
 * trip and atomic without BEGIN/COMMIT. Its final SELECT calls
 * cf_raise_conflict (migration 0001) when an optimistic lock did not match,
 * which aborts the statement and so the whole commit.
 */
import type { Mutation, TableName, TaskRow } from '../store.js';
import { postgresDialect } from './dialect.js';
import { jobInsertValue } from './job-suspension.js';
import type { Batch, Plan } from './mutation-plan.js';
import { mutationId } from './mutation-plan.js';
import { candidateLinks, codecs, type CandidateLink, type ColumnSpec, type TableCodec } from './table-codec.js';

/** One statement with its own parameters ($1…). */
export interface Part {
  /** Identifies the statement text: parts of one shape share it. */
  readonly shape: string;
  readonly sql: string;
  readonly values: unknown[];
  /** The statement returns the ids it changed and must have changed all of `ids`, passed as parameter `$idsParam`. */
  readonly check?: { readonly op: 'UPDATE' | 'DELETE'; readonly table: TableName; readonly ids: readonly string[]; readonly idsParam: number };
}

export interface PgCommit {
  /** Run one by one inside BEGIN/COMMIT, checking each `check`. */
  readonly parts: readonly Part[];
  /**
   * The whole commit as one statement; absent when a row is touched twice.
   * With `check`, its returned ids must be checked like a part's.
   */
  readonly single?: { readonly text: string; readonly values: unknown[]; readonly check?: Part['check'] };
}

/** Statement texts by shape. Shapes are few (tables × operations × patched field sets), so this stays small. */
const texts = new Map<string, string>();

function text(shape: string, build: () => string): string {
  let sql = texts.get(shape);
  if (sql === undefined) {
    sql = build();
    texts.set(shape, sql);
  }
  return sql;
}

/**
 * `(SELECT (e->>0)::type AS col, … FROM jsonb_array_elements($n::jsonb) AS e) AS v`: the
 * rows of a JSON array of arrays (arrays stringify twice as fast as objects).
 */
function jsonRows(param: number, columns: readonly { name: string; pgType: string }[]): string {
  const fields = columns.map((c, i) => `(e->>${i})::${c.pgType} AS ${c.name}`).join(', ');
  return `(SELECT ${fields} FROM jsonb_array_elements($${param}::jsonb) AS e) AS v`;
}

/** The rows as a JSON array of arrays of column values (in `columns` order, then the expected revision if given). */
function rowsJson(codec: TableCodec, rows: readonly object[], columns: readonly ColumnSpec[], revs?: readonly (number | undefined)[]): string {
  const out: unknown[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const values = codec.encode(rows[r] as never, postgresDialect, columns);
    if (revs) values.push(revs[r]);
    out[r] = values;
  }
  return JSON.stringify(out);
}

const LINK_COLUMNS = [
  { name: 'task_id', pgType: 'text' },
  { name: 'user_id', pgType: 'text' },
  { name: 'group_id', pgType: 'text' },
];

function insertLinks(links: readonly CandidateLink[]): Part | null {
  if (!links.length) return null;
  const sql = text(
    'links:insert',
    () => `INSERT INTO cf_identity_link (task_id, link_type, user_id, group_id) SELECT v.task_id, 'candidate', v.user_id, v.group_id FROM ${jsonRows(1, LINK_COLUMNS)}`,
  );
  return { shape: 'links:insert', sql, values: [JSON.stringify(links.map((l) => [l.taskId, l.userId, l.groupId]))] };
}

function deleteLinks(taskIds: readonly string[], kind?: 'user_id' | 'group_id'): Part {
  const shape = `links:delete:${kind ?? 'all'}`;
  const sql = text(shape, () => `DELETE FROM cf_identity_link WHERE task_id = ANY($1::text[])${kind ? ` AND ${kind} IS NOT NULL` : ''}`);
  return { shape, sql, values: [taskIds] };
}

function expectedRevs(batch: Batch): (number | undefined)[] {
  return batch.mutations.map((m) => (m as { expectedRev?: number }).expectedRev);
}

/** UPDATE … FROM the JSON rows: sets `columns` of the rows matched by id (and, when checked, by rev). */
function update(batch: Batch, kind: string, rows: readonly object[], columns: readonly ColumnSpec[], ids: readonly string[]): Part {
  const codec = codecs[batch.table];
  const idColumn = codec.columns.find((c) => c.name === 'id')!;
  const all = [idColumn, ...columns];
  const shape = `${batch.table}:${kind}:${batch.checked}`;
  const sql = text(shape, () => {
    const set = columns.map((c) => `${c.name} = v.${c.name}`).join(', ');
    const source = jsonRows(1, batch.checked ? [...all, { name: 'expected_rev', pgType: 'integer' }] : all);
    // $2, the ids again: the planner takes jsonb_array_elements for 100 rows and, from `t.id = v.id` alone, would
    // hash-join them with a scan of the whole table (history tables only grow); `t.id = ANY($2)` looks the rows up
    // by primary key. The lock check of a combined statement reuses it too.
    const where = `t.id = v.id AND t.id = ANY($2::text[])${batch.checked ? ' AND t.rev = v.expected_rev RETURNING t.id' : ''}`;
    return `UPDATE ${codec.sqlName} AS t SET ${set} FROM ${source} WHERE ${where}`;
  });
  if (!batch.checked) return { shape, sql, values: [rowsJson(codec, rows, all), ids] };
  const revs = expectedRevs(batch);
  return { shape, sql, values: [rowsJson(codec, rows, all, revs), ids], check: { op: 'UPDATE', table: batch.table, ids, idsParam: 2 } };
}

function batchParts(batch: Batch): Part[] {
  const codec = codecs[batch.table];
  const table = codec.sqlName;
  const ids = batch.mutations.map(mutationId);
  const parts: Part[] = [];
  const add = (part: Part | null) => part && parts.push(part);
  switch (batch.op) {
    case 'delete': {
      const shape = `${batch.table}:delete:${batch.checked}`;
      add(
        batch.checked
          ? {
              shape,
              sql: text(
                shape,
                () =>
                  // `t.id = ANY($1)` as in update(): a generic plan takes unnest() for 100 rows.
                  `DELETE FROM ${table} AS t USING unnest($1::text[], $2::integer[]) AS v(id, expected_rev) WHERE t.id = v.id AND t.id = ANY($1::text[]) AND t.rev = v.expected_rev RETURNING t.id`,
              ),
              values: [ids, expectedRevs(batch)],
              check: { op: 'DELETE', table: batch.table, ids, idsParam: 1 },
            }
          : { shape, sql: text(shape, () => `DELETE FROM ${table} WHERE id = ANY($1::text[])`), values: [ids] },
      );
      if (batch.table === 'task') add(deleteLinks(ids));
      break;
    }
    case 'insert': {
      const rows = batch.mutations.map((m) => (m as Extract<Mutation, { op: 'insert' }>).row);
      const shape = `${batch.table}:insert`;
      const sql = text(shape, () => {
        const names = codec.columns.map((c) => c.name);
        // A job's suspension also follows its job definition's, evaluated in the INSERT (see ./job-suspension.ts).
        const values = batch.table === 'job' ? names.map(jobInsertValue) : names;
        return `INSERT INTO ${table} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${jsonRows(1, codec.columns)}`;
      });
      add({ shape, sql, values: [rowsJson(codec, rows, codec.columns)] });
      if (batch.table === 'task') add(insertLinks((rows as TaskRow[]).flatMap((t) => candidateLinks(t.id, t))));
      break;
    }
    case 'update': {
      const rows = batch.mutations.map((m) => (m as Extract<Mutation, { op: 'update' }>).row);
      add(update(batch, 'update', rows, codec.valueColumns, ids));
      if (batch.table === 'task') {
        add(deleteLinks(ids));
        add(insertLinks((rows as TaskRow[]).flatMap((t) => candidateLinks(t.id, t))));
      }
      break;
    }
    case 'patch': {
      const sets = batch.mutations.map((m) => ({ ...(m as Extract<Mutation, { op: 'patch' }>).set, id: mutationId(m) }));
      const columns = codec.patchColumns(batch.fields);
      if (columns.length) add(update(batch, `patch:${batch.fields.join(',')}`, sets, columns, ids));
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

/** Joins the parts into `WITH p0 AS (…), p1 AS (…) SELECT <lock checks>`, renumbering their parameters. */
function combine(parts: readonly Part[]): string {
  let offset = 0;
  const ctes: string[] = [];
  const checks: string[] = [];
  parts.forEach((part, i) => {
    const shift = offset;
    ctes.push(`p${i} AS (${shift ? part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`) : part.sql})`);
    if (part.check) {
      const ids = `$${part.check.idsParam + shift}::text[]`;
      checks.push(
        `CASE WHEN (SELECT count(*) FROM p${i}) <> cardinality(${ids}) THEN cf_raise_conflict('${part.check.op} ${part.check.table}', ` +
          `(SELECT x FROM unnest(${ids}) AS x WHERE x NOT IN (SELECT id FROM p${i}) LIMIT 1)) END`,
      );
    }
    offset += part.values.length;
  });
  return `WITH ${ctes.join(', ')} SELECT ${checks.length ? checks.join(', ') : '1'}`;
}

export function buildCommit(plan: Plan): PgCommit {
  const parts = plan.batches.flatMap(batchParts);
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && (!only.check || only.check.ids.length === 1)) {
    // One statement that changes its one checked row or nothing at all: atomic as it is.
    return { parts, single: { text: only.sql, values: only.values, ...(only.check ? { check: only.check } : {}) } };
  }
  if (!plan.independent || !parts.length) return { parts };
  const shape = `with:${parts.map((p) => p.shape).join('|')}`;
  return { parts, single: { text: text(shape, () => combine(parts)), values: parts.flatMap((p) => p.values) } };
}
