import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { graphqlSuite, type GraphqlHarness } from './graphql-harness.js';

const PAGE = `query($f: ProcessInstanceFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  processInstances(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { businessKey } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Five instances with business keys `<prefix>-0` … `<prefix>-4`, in id (start) order. */
async function fiveInstances(h: GraphqlHarness): Promise<{ filter: Record<string, unknown>; keys: string[] }> {
  await h.deployFixtures('Gateway.approval.bpmn');
  const tag = randomUUID();
  const keys: string[] = [];
  for (let i = 0; i < 5; i++) {
    const key = `${tag}-${i}`;
    const r = await h.gql(`mutation($input: StartProcessInstanceInput!) { startProcessInstance(input: $input) { id } }`, {
      input: { processDefinitionKey: 'gatewayApproval', businessKey: key, variables: [{ name: 'batch', value: tag }] },
    });
    expect(r.errors).toBeUndefined();
    keys.push(key);
  }
  return { filter: { variables: [{ name: 'batch', value: tag }] }, keys };
}

async function page(h: GraphqlHarness, vars: Record<string, unknown>) {
  const r = await h.gql(PAGE, vars);
  expect(r.errors).toBeUndefined();
  const c = r.data.processInstances;
  return { keys: c.edges.map((e: any) => e.node.businessKey as string), cursors: c.edges.map((e: any) => e.cursor as string), pageInfo: c.pageInfo };
}

graphqlSuite('GraphQL Relay paging', (h) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('pages forward with first/after to the end and back again with last/before', async () => {
    const { filter, keys } = await fiveInstances(h);
    const p1 = await page(h, { f: filter, first: 2 });
    expect(p1.keys).toEqual(keys.slice(0, 2));
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: p1.cursors[0], endCursor: p1.cursors[1] });
    const p2 = await page(h, { f: filter, first: 2, after: p1.pageInfo.endCursor });
    expect(p2.keys).toEqual(keys.slice(2, 4));
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const p3 = await page(h, { f: filter, first: 2, after: p2.pageInfo.endCursor });
    expect(p3.keys).toEqual(keys.slice(4));
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const back = await page(h, { f: filter, last: 2, before: p3.pageInfo.startCursor });
    expect(back.keys).toEqual(keys.slice(2, 4));
    expect(back.cursors).toEqual(p2.cursors);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const front = await page(h, { f: filter, last: 3, before: back.pageInfo.startCursor });
    expect(front.keys).toEqual(keys.slice(0, 2));
    expect(front.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('last without before is the tail of the list, and first and last together slice the range as Relay says', async () => {
    const { filter, keys } = await fiveInstances(h);
    const tail = await page(h, { f: filter, last: 2 });
    expect(tail.keys).toEqual(keys.slice(3));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const everything = await page(h, { f: filter, last: 100 });
    expect(everything.keys).toEqual(keys);
    expect(everything.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });

    const firstPage = await page(h, { f: filter, first: 1 });
    // After the first, the first three, of those the last two.
    const both = await page(h, { f: filter, after: firstPage.pageInfo.endCursor, first: 3, last: 2 });
    expect(both.keys).toEqual(keys.slice(2, 4));
    const empty = await page(h, { f: filter, first: 0 });
    expect(empty.keys).toEqual([]);
    expect(empty.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
  });

  it('counts only when totalCount is selected, once per connection', async () => {
    const { filter } = await fiveInstances(h);
    const count = vi.spyOn(h.engine().store, 'countProcessInstances');
    const without = await h.gql(`query($f: ProcessInstanceFilterInput) { processInstances(filter: $f, first: 2) { edges { node { id } } pageInfo { hasNextPage } } }`, { f: filter });
    expect(without.errors).toBeUndefined();
    expect(without.data.processInstances.pageInfo.hasNextPage).toBe(true);
    expect(count).not.toHaveBeenCalled();

    const withCount = await h.gql(`query($f: ProcessInstanceFilterInput) { processInstances(filter: $f, last: 2) { totalCount edges { node { id } } } }`, { f: filter });
    expect(withCount.errors).toBeUndefined();
    expect(withCount.data.processInstances.totalCount).toBe(5);
    // `last` without `before` needs the count to find the end, and totalCount reuses it.
    expect(count).toHaveBeenCalledTimes(1);
  });

  it('refuses a cursor it did not make and page sizes above the maximum, naming the argument', async () => {
    const garbage = await h.gql(`{ tasks(after: "bm90LWEtY3Vyc29y") { totalCount } }`);
    expect(garbage.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const garbageBefore = await h.gql(`{ jobs(last: 2, before: "%%%") { totalCount } }`);
    expect(garbageBefore.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'before' });
    const tooMany = await h.gql(`{ incidents(last: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'last' });
    const negative = await h.gql(`{ historicProcessInstances(first: -1) { totalCount } }`);
    expect(negative.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
