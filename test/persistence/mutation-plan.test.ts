import { describe, expect, it } from 'vitest';
import { planBatches } from '../../engine/persistence/sql/mutation-plan.js';
import { buildCommit } from '../../engine/persistence/sql/postgres-commit.js';
import type { Mutation } from '../../engine/persistence/store.js';
import { historicActivityInstance, historicProcessInstance, insert, processInstance, task } from './rows.js';

const act = (id: string) => insert('historicActivityInstance', historicActivityInstance({ id }));

describe('commit planning', () => {
  it('groups mutations by table and operation', () => {
    const plan = planBatches([
      { table: 'processInstance', op: 'update', row: processInstance({ rev: 2 }), expectedRev: 1 },
      act('a1'),
      insert('historicProcessInstance', historicProcessInstance()),
      act('a2'),
      act('a3'),
    ]);
    expect(plan.independent).toBe(true);
    expect(plan.batches.map((b) => [b.table, b.op, b.checked, b.mutations.length])).toEqual([
      ['processInstance', 'update', true, 1],
      ['historicActivityInstance', 'insert', false, 3],
      ['historicProcessInstance', 'insert', false, 1],
    ]);
  });

  it('keeps the order of mutations on the same row by starting a new batch', () => {
    const mutations: Mutation[] = [
      act('a1'),
      { table: 'historicActivityInstance', op: 'delete', id: 'a1' },
      act('a2'),
      act('a1'),
    ];
    const plan = planBatches(mutations);
    expect(plan.independent).toBe(false);
    expect(plan.batches.map((b) => [b.op, b.mutations.map((m) => (m.op === 'delete' ? m.id : m.op === 'insert' ? m.row.id : ''))])).toEqual([
      ['insert', ['a1', 'a2']],
      ['delete', ['a1']],
      ['insert', ['a1']],
    ]);
  });

  it('groups patches by the set of fields they set and drops empty ones', () => {
    const plan = planBatches([
      { table: 'historicActivityInstance', op: 'patch', id: 'a1', set: { endTime: new Date(1), durationMs: 1 } },
      { table: 'historicActivityInstance', op: 'patch', id: 'a2', set: { durationMs: 2, endTime: new Date(2) } },
      { table: 'historicActivityInstance', op: 'patch', id: 'a3', set: { assignee: 'x' } },
      { table: 'historicActivityInstance', op: 'patch', id: 'a4', set: { assignee: undefined } },
    ]);
    expect(plan.batches.map((b) => [b.fields, b.mutations.length])).toEqual([
      [['durationMs', 'endTime'], 2],
      [['assignee'], 1],
    ]);
  });

  it('a typical command is a single PostgreSQL statement', () => {
    const commit = buildCommit(
      planBatches([
        { table: 'processInstance', op: 'update', row: processInstance({ rev: 2 }), expectedRev: 1 },
        insert('task', task({ candidateGroups: ['sales'] })),
        act('a1'),
        act('a2'),
        { table: 'historicActivityInstance', op: 'patch', id: 'a0', set: { endTime: new Date(5) } },
      ]),
    );
    expect(commit.single?.text).toMatch(/^WITH /);
    expect(commit.single?.text).toContain('cf_raise_conflict');
    expect(commit.parts).toHaveLength(5);
  });

  it('a commit touching a row twice runs statement by statement', () => {
    const commit = buildCommit(planBatches([act('a1'), { table: 'historicActivityInstance', op: 'delete', id: 'a1' }]));
    expect(commit.single).toBeUndefined();
    expect(commit.parts).toHaveLength(2);
  });
});
