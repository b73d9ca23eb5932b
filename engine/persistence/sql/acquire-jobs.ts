/**
 * The job executor's hot SQL: claiming due jobs. Its own file because it is
 * where correctness under concurrency lives (see graphile-worker's
 * get_job.sql). On PostgreSQL one statement selects the jobs with
 * `FOR UPDATE SKIP LOCKED` and locks them in the same round trip: rows another
 * node is claiming right now are skipped instead of waited for, and a row a
 * concurrent claim has just committed is re-read and re-checked by PostgreSQL
 * before it is locked (READ COMMITTED), so two nodes never claim one job and
 * never block each other. SQLite has a single writer; the same UPDATE runs in
 * an IMMEDIATE transaction, which takes the write lock before it reads.
 */
import type { JobRow } from '../store.js';
import type { Dialect } from './dialect.js';

/**
 * Jobs that may ever run. Unaliased, this is the predicate of the partial
 * index cf_idx_job_acquisition (migration 0003), kept verbatim in the claim:
 * SQLite uses a partial index only when the query repeats its terms literally.
 */
export function runnable(alias = ''): string {
  return `${alias}retries > 0 AND NOT ${alias}suspended`;
}

/** No lock, or one that expired before `now` (a lock without expiration holds nothing). */
export function unlockedAt(now: string, alias = ''): string {
  return `(${alias}lock_owner IS NULL OR ${alias}lock_expiration IS NULL OR ${alias}lock_expiration < ${now})`;
}

/** Due at `now`: a job without due date is due at once. */
export function dueAt(now: string, alias = ''): string {
  return `(${alias}due_date IS NULL OR ${alias}due_date <= ${now})`;
}

/** $1 owner, $2 lock expiration, $3 now (epoch ms), $4 max. Returns the claimed rows. */
export function acquireJobsSql(dialect: Dialect): string {
  const postgres = dialect.kind === 'postgres';
  // The acquisition index's order: highest priority, then earliest due (null = due now), then oldest.
  // On PostgreSQL `= ANY(ARRAY(…))` finds the claimed rows by primary key whatever the statistics say;
  // `IN (…)` is planned as a semi join, which without them (or for a large backlog) scans the whole table.
  return `UPDATE cf_job SET lock_owner = $1, lock_expiration = $2
    WHERE id ${postgres ? '= ANY(ARRAY(' : 'IN ('}
      SELECT id FROM cf_job
      WHERE ${runnable()} AND ${dueAt('$3')} AND ${unlockedAt('$3')}
      ORDER BY priority DESC, due_date ASC NULLS FIRST, create_time ASC, id ASC
      LIMIT $4${postgres ? ' FOR UPDATE SKIP LOCKED' : ''}
    )${postgres ? ')' : ''}
    RETURNING *`;
}

/** $1 now (epoch ms). One row, `due`: the earliest due date of a claimable job, null if none. */
export const NEXT_JOB_DUE_DATE_SQL = `SELECT MIN(COALESCE(due_date, $1)) AS due FROM cf_job WHERE ${runnable()} AND ${unlockedAt('$1')}`;

/** The claim's order, for the rows RETURNING gives back in no particular order. */
export function compareAcquisitionOrder(a: JobRow, b: JobRow): number {
  return (
    b.priority - a.priority ||
    nullsFirst(a.dueDate, b.dueDate) ||
    a.createTime.getTime() - b.createTime.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function nullsFirst(a: Date | null, b: Date | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.getTime() - b.getTime();
}
