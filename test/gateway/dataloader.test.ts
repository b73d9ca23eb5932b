import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { Store } from '../../engine/index.js';
import { graphqlSuite, type GraphqlHarness } from './graphql-harness.js';

/** Counts the SQL statements the store runs for reads (its one query hook), until restored. */
function countSql(store: Store): { readonly count: number; restore(): void } {
  const target = store as unknown as { query: (...args: unknown[]) => Promise<unknown> };
  const original = target.query;
  let count = 0;
  target.query = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  return {
    get count() {
      return count;
    },
    restore: () => {
      target.query = original;
    },
  };
}

const PAGE = `query($f: ProcessInstanceFilterInput, $first: Int) {
  processInstances(filter: $f, first: $first) {
    edges { node { id state activeActivityIds definition { key version } variables { name value } tasks { id name candidateGroups } jobs { id } incidents { id } } }
  }
}`;

async function startMany(h: GraphqlHarness, n: number): Promise<{ tag: string; ids: string[] }> {
  const tag = randomUUID();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await h.gql(`mutation($input: StartProcessInstanceInput!) { startProcessInstance(input: $input) { id } }`, {
      input: { processDefinitionKey: 'gatewayApproval', variables: [{ name: 'batch', value: tag }, { name: 'n', type: 'Integer', value: i }] },
    });
    expect(r.errors).toBeUndefined();
    ids.push(r.data.startProcessInstance.id);
  }
  return { tag, ids };
}

graphqlSuite('GraphQL per-request DataLoaders', (h) => {
  let counter: ReturnType<typeof countSql> | null = null;
  afterEach(() => {
    counter?.restore();
    counter = null;
  });

  it('a page of 50 instances with their tasks, variables and definitions costs as many SQL statements as a page of 5', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const small = await startMany(h, 5);
    const large = await startMany(h, 50);

    const read = async (tag: string, first: number) => {
      counter = countSql(h.engine().store);
      const r = await h.gql(PAGE, { f: { variables: [{ name: 'batch', value: tag }] }, first });
      const statements = counter.count;
      counter.restore();
      counter = null;
      expect(r.errors).toBeUndefined();
      return { edges: r.data.processInstances.edges as { node: any }[], statements };
    };

    const five = await read(small.tag, 5);
    const fifty = await read(large.tag, 50);
    expect(fifty.edges.map((e) => e.node.id)).toEqual(large.ids);
    for (const [i, { node }] of fifty.edges.entries()) {
      expect(node).toEqual({
        id: large.ids[i],
        state: 'ACTIVE',
        activeActivityIds: ['approve'],
        definition: { key: 'gatewayApproval', version: expect.any(Number) },
        variables: expect.arrayContaining([{ name: 'batch', value: large.tag }, { name: 'n', value: i }]),
        tasks: [{ id: expect.any(String), name: 'Approve order', candidateGroups: ['management'] }],
        jobs: [],
        incidents: [],
      });
      expect(node.variables).toHaveLength(2);
    }
    // The page, one batched read per child (definitions, active activities, variables, tasks with
    // their candidates, jobs, incidents): not 1 + 50 × k.
    expect(fifty.statements).toBeLessThanOrEqual(9);
    expect(fifty.statements).toBe(five.statements);
  });

  it('loaders do not outlive their request: a second request sees a variable the first one did not', async () => {
    await h.deployFixtures('Gateway.approval.bpmn');
    const { tag, ids } = await startMany(h, 1);
    const q = `query($f: ProcessInstanceFilterInput) { processInstances(filter: $f) { edges { node { variables { name } } } } }`;
    const before = await h.gql(q, { f: { variables: [{ name: 'batch', value: tag }] } });
    expect(before.data.processInstances.edges[0].node.variables.map((v: any) => v.name).sort()).toEqual(['batch', 'n']);
    await h.engine().setVariables(ids[0]!, { added: true });
    const after = await h.gql(q, { f: { variables: [{ name: 'batch', value: tag }] } });
    expect(after.data.processInstances.edges[0].node.variables.map((v: any) => v.name).sort()).toEqual(['added', 'batch', 'n']);
  });
});
