/**
 * The hot SQL of external tasks: fetch-and-lock. Its own file for the same
 * reason as ./acquire-jobs.ts — correctness under concurrency lives here. On
 * PostgreSQL one statement selects the available tasks with
 * `FOR UPDATE SKIP LOCKED` and locks them in the same round trip, so two
 * nodes (or two workers) never lock the same task and never wait for each
 * other; SQLite runs the same UPDATE in an IMMEDIATE transaction.
 */
import type { ExternalTaskRow, ExternalTaskTopicRequest } from '../store.js';
import { SqlParams, type Dialect } from './dialect.js';
import { variableCondition, type Statement } from './query-builder.js';

/**
 * Tasks that may ever be fetched. Unaliased, this is the predicate of the
 * partial index cf_idx_external_task_fetch (migration 0004), kept verbatim.
 */
export const FETCHABLE = '(retries IS NULL OR retries > 0) AND NOT suspended';

/** Camunda's availability: no lock, or one that expired at `now` (a failure's retry timeout is such a lock). */
export function notLockedAt(now: string, alias = ''): string {
  return `(${alias}lock_expiration IS NULL OR ${alias}lock_expiration <= ${now})`;
}

/** The conditions of one topic, on the unaliased cf_external_task of the inner SELECT. */
function topicCondition(q: SqlParams, t: ExternalTaskTopicRequest): string {
  const parts = [`topic_name = ${q.add(t.topicName)}`];
  if (t.businessKey !== undefined) parts.push(`business_key = ${q.add(t.businessKey)}`);
  if (t.processDefinitionId !== undefined) parts.push(`definition_id = ${q.add(t.processDefinitionId)}`);
  if (t.processDefinitionIdIn !== undefined) parts.push(t.processDefinitionIdIn.length ? `definition_id IN ${q.list(t.processDefinitionIdIn)}` : '1 = 0');
  if (t.processDefinitionKey !== undefined) parts.push(`definition_key = ${q.add(t.processDefinitionKey)}`);
  if (t.processDefinitionKeyIn !== undefined) parts.push(t.processDefinitionKeyIn.length ? `definition_key IN ${q.list(t.processDefinitionKeyIn)}` : '1 = 0');
  if (t.processDefinitionVersionTag !== undefined) parts.push(`definition_version_tag = ${q.add(t.processDefinitionVersionTag)}`);
  if (t.tenantIdIn !== undefined) {
    const within = t.tenantIdIn.length ? `tenant_id IN ${q.list(t.tenantIdIn)}` : '1 = 0';
    parts.push(t.withoutTenantId ? `(${within} OR tenant_id IS NULL)` : within);
  } else if (t.withoutTenantId) parts.push('tenant_id IS NULL');
  for (const [name, value] of Object.entries(t.processVariables ?? {})) {
    const condition = variableCondition(q, 'v', { name, operator: 'eq', value });
    parts.push(`EXISTS (SELECT 1 FROM cf_variable v WHERE v.instance_id = cf_external_task.instance_id AND v.task_id IS NULL AND ${condition})`);
  }
  return `(${parts.join(' AND ')})`;
}

export interface FetchRequest {
  workerId: string;
  now: Date;
  topics: readonly ExternalTaskTopicRequest[];
  max: number;
  usePriority: boolean;
  createTimeOrder: 'asc' | 'desc';
}

/** One UPDATE … RETURNING * that locks the chosen tasks, each with its topic's lock duration. */
export function fetchAndLockSql(dialect: Dialect, r: FetchRequest): Statement {
  const q = new SqlParams(dialect);
  const worker = q.add(r.workerId);
  const now = r.now.getTime();
  // PostgreSQL types an untyped CASE result as text.
  const bigint = dialect.kind === 'postgres' ? '::bigint' : '';
  const seen = new Set<string>();
  const expirations: string[] = [];
  for (const t of r.topics) {
    // The first entry of a topic name decides its lock duration.
    if (seen.has(t.topicName)) continue;
    seen.add(t.topicName);
    expirations.push(`WHEN ${q.add(t.topicName)} THEN ${q.add(now + t.lockDurationMs)}${bigint}`);
  }
  const nowParam = q.add(now);
  const topics = r.topics.map((t) => topicCondition(q, t)).join(' OR ');
  const order = [...(r.usePriority ? ['priority DESC'] : []), `create_time ${r.createTimeOrder.toUpperCase()}`, `id ${r.createTimeOrder.toUpperCase()}`];
  const sql = `UPDATE cf_external_task SET worker_id = ${worker}, lock_expiration = CASE topic_name ${expirations.join(' ')} END
    WHERE id IN (
      SELECT id FROM cf_external_task
      WHERE ${FETCHABLE} AND ${notLockedAt(nowParam)} AND (${topics})
      ORDER BY ${order.join(', ')}
      LIMIT ${q.add(Math.floor(r.max))}${dialect.kind === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}
    )
    RETURNING *`;
  return { sql, params: q.values };
}

/** The fetch's order, for the rows RETURNING gives back in no particular order. */
export function fetchOrder(usePriority: boolean, createTimeOrder: 'asc' | 'desc'): (a: ExternalTaskRow, b: ExternalTaskRow) => number {
  const sign = createTimeOrder === 'desc' ? -1 : 1;
  return (a, b) =>
    (usePriority ? b.priority - a.priority : 0) ||
    sign * (a.createTime.getTime() - b.createTime.getTime()) ||
    sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
