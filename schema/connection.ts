/**
 * Relay cursor connections (edges, node, cursor, pageInfo, totalCount) with
 * paging both ways (`first`/`after` and `last`/`before`). Cursors are opaque
 * offsets; every page is bounded so no query reads an unbounded result, and
 * `totalCount` costs a COUNT query only when the client selects it (or pages
 * from the end without a `before` cursor, which needs it to know where the end is).
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from '../engine/index.js';

/** The largest page a client may ask for; more is refused with BAD_USER_INPUT. */
export const MAX_PAGE_SIZE = 100;
/** The page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size from the start (or from after), default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size from the end (or from before), at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'The startCursor of the next page, to page backwards.' })
  before?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Resolved on demand: reading it runs the COUNT query (once). */
  readonly totalCount: number | Promise<number>;
}

/** A connection type `<name>Connection` with its `<name>Edge`. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => node)
    node!: T;

    @Field(() => String)
    cursor!: string;
  }

  @ObjectType(`${name}ConnectionBase`)
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'All matches, not just this page (counted only when selected).' })
    totalCount!: number;
  }
  return ConnectionType;
}

const CURSOR_PREFIX = 'cf1:';

function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, field: 'after' | 'before'): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BadUserInputError(`Invalid cursor '${cursor}' in ${field}`, field);
  return offset;
}

function size(value: number | null | undefined, field: 'first' | 'last'): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${field} must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, field);
  }
  return value;
}

/** The engine page for a window of rows: `[firstResult, firstResult + maxResults)`. */
export interface PageWindow {
  firstResult: number;
  maxResults: number;
}

/**
 * The rows a connection page covers, as Relay's pagination algorithm slices
 * them: `after`/`before` narrow the range, then `first` keeps its head and
 * `last` its tail. `end` is null when the range is open (no `before`, no `last`).
 */
export function rangeOf(args: ConnectionArgs, count: () => Promise<number>): Promise<{ start: number; end: number }> | { start: number; end: number } {
  const first = size(args.first, 'first');
  const last = size(args.last, 'last');
  let start = args.after ? decodeCursor(args.after, 'after') + 1 : 0;
  const before = args.before ? decodeCursor(args.before, 'before') : null;
  const window = (end: number): { start: number; end: number } => {
    let e = Math.max(start, end);
    if (first !== null) e = Math.min(e, start + first);
    if (last !== null) start = Math.max(start, e - last);
    return { start, end: e };
  };
  if (first === null && last === null) return window(Math.min(before ?? Number.MAX_SAFE_INTEGER, start + DEFAULT_PAGE_SIZE));
  if (before !== null) return window(before);
  if (last === null || first !== null) return window(start + first!);
  // From the end without a cursor: where the end is takes a count.
  return count().then(window);
}

/**
 * Runs the page and wraps the rows as a connection. One row past the page is
 * read to answer `hasNextPage` without counting; the count runs only when
 * `totalCount` is read (or `last` without `before` needs it).
 */
export async function connectionOf<R, T>(
  args: ConnectionArgs,
  find: (page: PageWindow) => Promise<R[]>,
  count: () => Promise<number>,
  toNode: (row: R) => T,
): Promise<ConnectionShape<T>> {
  let counted: Promise<number> | null = null;
  const total = (): Promise<number> => (counted ??= count());
  const { start, end } = await rangeOf(args, total);
  const wanted = end - start;
  const rows = await find({ firstResult: start, maxResults: wanted + 1 });
  const page = rows.slice(0, wanted);
  const edges = page.map((row, i) => ({ node: toNode(row), cursor: encodeCursor(start + i) }));
  return {
    edges,
    get totalCount() {
      return total();
    },
    pageInfo: {
      hasNextPage: rows.length > wanted,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A connection over rows already in memory (small lists the engine answers whole). */
export function connectionOfList<R, T>(args: ConnectionArgs, all: readonly R[], toNode: (row: R) => T): Promise<ConnectionShape<T>> {
  return connectionOf(
    args,
    async (p) => all.slice(p.firstResult, p.firstResult + p.maxResults),
    async () => all.length,
    toNode,
  );
}
