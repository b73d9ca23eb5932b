/**
 * Groups a commit's mutations into batches of one table and one kind of
 * operation, so PostgreSQL can apply each batch with a single statement.
 * The grouping keeps, for every row, the order of the mutations touching it;
 * rows of different tables never depend on each other (there are no foreign
 * keys), so anything else may be reordered.
 */
import { ConflictError } from '../../errors.js';
import type { Mutation, TableName } from '../store.js';

export type MutationOp = Mutation['op'];

export interface Batch {
  readonly table: TableName;
  readonly op: MutationOp;
  /** An optimistic-lock batch: every row must match its `expectedRev`. */
  readonly checked: boolean;
  /** For patches: the row fields every patch of the batch sets, sorted. */
  readonly fields: readonly string[];
  readonly mutations: Mutation[];
}

export interface Plan {
  readonly batches: Batch[];
  /** No row is touched by two batches, so the batches may run as one statement. */
  readonly independent: boolean;
}

export function mutationId(m: Mutation): string {
  return m.op === 'insert' || m.op === 'update' ? m.row.id : m.id;
}

/** The fields a patch sets: `undefined` values and the id are not set. */
export function patchFields(set: object): string[] {
  return Object.entries(set)
    .filter(([field, value]) => value !== undefined && field !== 'id')
    .map(([field]) => field)
    .sort();
}

/** Rows with an optimistic lock (`rev`): process instances, and buffered messages, which one command only may consume. */
const CHECKED_TABLES: ReadonlySet<TableName> = new Set<TableName>(['processInstance', 'bufferedMessage']);

export function isChecked(m: Mutation): boolean {
  return CHECKED_TABLES.has(m.table) && (m.op === 'update' || m.op === 'delete') && m.expectedRev !== undefined;
}

export function planBatches(mutations: readonly Mutation[]): Plan {
  const batches: Batch[] = [];
  const latestBatch = new Map<string, number>();
  const lastTouch = new Map<string, number>();
  let independent = true;
  for (const m of mutations) {
    const checked = isChecked(m);
    const fields = m.op === 'patch' ? patchFields(m.set) : [];
    if (m.op === 'patch' && !fields.length) continue;
    const batchKey = `${m.table}:${m.op}:${checked}:${fields.join(',')}`;
    const rowKey = `${m.table}\u0000${mutationId(m)}`;
    const dependency = lastTouch.get(rowKey) ?? -1;
    if (dependency >= 0) independent = false;
    let index = latestBatch.get(batchKey);
    // A batch before (or holding) the row's last mutation would run out of order.
    if (index === undefined || index <= dependency) {
      index = batches.push({ table: m.table, op: m.op, checked, fields, mutations: [] }) - 1;
      latestBatch.set(batchKey, index);
    }
    batches[index]!.mutations.push(m);
    lastTouch.set(rowKey, index);
  }
  return { batches, independent };
}

/** Camunda's optimistic-locking message, naming the entity (ProcessInstance, BufferedMessage) and its id. */
export function conflictError(op: 'INSERT' | 'UPDATE' | 'DELETE', id: string, table: TableName = 'processInstance'): ConflictError {
  const entity = table.charAt(0).toUpperCase() + table.slice(1);
  return new ConflictError(`ENGINE-03005 Execution of '${op} ${entity}[${id}]' failed. Entity was updated by another transaction concurrently.`);
}
