/**
 * Relay cursor connections (edges, node, cursor, pageInfo, totalCount) with
 * forward paging (`first`/`after`). Cursors are opaque offsets; every page is
 * bounded so no query reads an unbounded result.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from '../engine/index.js';

/** The largest page a client may ask for; more is refused with BAD_USER_INPUT. */
export const MAX_PAGE_SIZE = 100;
/** The page size when `first` is not given. */
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
  @Field(() => Int, { nullable: true, description: `Page size, default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
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

    @Field(() => Int, { description: 'All matches, not just this page.' })
    totalCount!: number;
  }
  return ConnectionType;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new BadUserInputError(`Invalid cursor '${cursor}'`, 'after');
  return Number(m[1]);
}

/** The engine page for connection arguments; refuses sizes above MAX_PAGE_SIZE. */
export function pageOf(args: ConnectionArgs): { firstResult: number; maxResults: number } {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  const firstResult = args.after ? decodeCursor(args.after) + 1 : 0;
  return { firstResult, maxResults: first };
}

/** Runs the page and the count, and wraps the rows as a connection. */
export async function connectionOf<R, T>(
  args: ConnectionArgs,
  find: (page: { firstResult: number; maxResults: number }) => Promise<R[]>,
  count: () => Promise<number>,
  toNode: (row: R) => T,
): Promise<ConnectionShape<T>> {
  const page = pageOf(args);
  const [rows, totalCount] = await Promise.all([page.maxResults === 0 ? Promise.resolve([] as R[]) : find(page), count()]);
  const edges = rows.map((row, i) => ({ node: toNode(row), cursor: encodeCursor(page.firstResult + i) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.firstResult + rows.length < totalCount,
      hasPreviousPage: page.firstResult > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
