import { expect, it } from 'vitest';
import type { HistoryLevel } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

const DAY = 86_400_000;

/** What one run of Engine.historyLevels.bpmn leaves in history, per level (Camunda's HistoryLevel*.isHistoryEventProduced). */
const EXPECTED: Record<HistoryLevel, { processes: number; activities: string[]; tasks: number; variables: string[]; details: number }> = {
  none: { processes: 0, activities: [], tasks: 0, variables: [], details: 0 },
  activity: { processes: 1, activities: ['start', 'work', 'end'], tasks: 1, variables: [], details: 0 },
  audit: { processes: 1, activities: ['start', 'work', 'end'], tasks: 1, variables: ['amount=2', 'approved=true'], details: 0 },
  full: { processes: 1, activities: ['start', 'work', 'end'], tasks: 1, variables: ['amount=2', 'approved=true'], details: 3 },
};

for (const level of ['none', 'activity', 'audit', 'full'] as const) {
  engineSuite(
    `history level ${level}`,
    (h) => {
      it(`writes exactly what Camunda writes at history level ${level}`, async () => {
        await h.deploy('Engine.historyLevels.bpmn');
        const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'historyLevels', variables: { amount: 1 } });
        await h.engine().setVariables(pi.id, { amount: 2 });
        await h.restart();
        const [task] = await h.engine().findTasks({ instanceId: pi.id });
        await h.engine().completeTask(task!.id, { approved: true });
        expect(await h.engine().getProcessInstance(pi.id)).toBeNull();

        const expected = EXPECTED[level];
        const processes = await h.engine().findHistoricProcessInstances({ id: pi.id });
        expect(processes).toHaveLength(expected.processes);
        if (expected.processes) expect(processes[0]).toMatchObject({ state: 'COMPLETED', endActivityId: 'end' });
        const activities = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
        expect(activities.map((a) => a.activityId)).toEqual(expected.activities);
        const tasks = await h.engine().findHistoricTaskInstances({ instanceId: pi.id });
        expect(tasks).toHaveLength(expected.tasks);
        if (expected.tasks) expect(tasks[0]).toMatchObject({ assignee: 'kermit', deleteReason: 'completed' });
        const variables = await h.engine().findHistoricVariableInstances({ instanceId: pi.id });
        expect(variables.map((v) => `${v.name}=${String(v.value.value)}`).sort()).toEqual(expected.variables);
        expect(await h.engine().findHistoricDetails({ instanceId: pi.id })).toHaveLength(expected.details);
      });
    },
    () => ({ historyLevel: level }),
  );
}

engineSuite('historic activity instances', (h) => {
  it('carry their parent activity instance and a sequence counter in the order they started, across a restart', async () => {
    await h.deploy('Engine.historyTree.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'historyTree' });
    await h.restart();
    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    await h.engine().completeTask(task!.id);

    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => a.activityId)).toEqual(['start', 'sub', 'subStart', 'fork', 'inner', 'quick', 'subEnd', 'end']);
    const counters = acts.map((a) => a.sequenceCounter);
    expect(counters).toEqual([...counters].sort((a, b) => a - b));
    expect(new Set(counters).size).toBe(counters.length);
    const sub = acts.find((a) => a.activityId === 'sub')!;
    const parents = Object.fromEntries(acts.map((a) => [a.activityId, a.parentActivityInstanceId]));
    expect(parents).toEqual({ start: pi.id, sub: pi.id, end: pi.id, subStart: sub.id, fork: sub.id, inner: sub.id, quick: sub.id, subEnd: sub.id });
    expect(Object.fromEntries(acts.map((a) => [a.activityId, a.activityType]))).toEqual({
      start: 'startEvent',
      sub: 'subProcess',
      subStart: 'startEvent',
      fork: 'parallelGateway',
      inner: 'userTask',
      quick: 'task',
      subEnd: 'noneEndEvent',
      end: 'noneEndEvent',
    });
    // Ending a scope: end events and activities without outgoing flows complete it; nothing was cancelled.
    expect(acts.filter((a) => a.completeScope).map((a) => a.activityId)).toEqual(['quick', 'subEnd', 'end']);
    expect(acts.some((a) => a.canceled)).toBe(false);
    const inner = acts.find((a) => a.activityId === 'inner')!;
    expect(inner.taskId).toBe(task!.id);
    expect(inner.endTime!.getTime()).toBeGreaterThanOrEqual(inner.startTime.getTime());
    expect(inner.durationMs).toBe(inner.endTime!.getTime() - inner.startTime.getTime());
  });

  it('are marked canceled, not completing, when their scope is deleted', async () => {
    await h.deploy('Engine.historyTree.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'historyTree' });
    await h.engine().deleteProcessInstance(pi.id, 'stop');
    const acts = Object.fromEntries((await h.engine().findHistoricActivityInstances({ instanceId: pi.id })).map((a) => [a.activityId, a]));
    expect(acts['inner']).toMatchObject({ canceled: true, completeScope: false });
    expect(acts['sub']).toMatchObject({ canceled: true, completeScope: false });
    expect(acts['quick']).toMatchObject({ canceled: false, completeScope: true });
    expect(Object.values(acts).every((a) => a.endTime !== null)).toBe(true);
  });
});

let now = new Date('2030-01-01T00:00:00.000Z');

engineSuite(
  'history cleanup',
  (h) => {
    it('removes in batches only finished instances whose end plus historyTimeToLive has passed', async () => {
      const t0 = new Date('2030-01-01T00:00:00.000Z');
      now = t0;
      await h.deploy('Engine.historyCleanup.bpmn');
      const finish = async () => {
        const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'historyCleanup', variables: { v: 1 } });
        const [task] = await h.engine().findTasks({ instanceId: pi.id });
        await h.engine().completeTask(task!.id, { v: 2 });
        return pi.id;
      };
      const early = [await finish(), await finish(), await finish()];
      const forever = (await h.engine().startProcessInstance({ processDefinitionKey: 'historyKeptForever' })).id;
      const running = (await h.engine().startProcessInstance({ processDefinitionKey: 'historyCleanup' })).id;
      now = new Date(t0.getTime() + 2 * DAY);
      const later = await finish();

      const [hpi] = await h.engine().findHistoricProcessInstances({ id: early[0]! });
      expect(hpi!.removalTime).toEqual(new Date(t0.getTime() + 5 * DAY));
      expect((await h.engine().findHistoricProcessInstances({ id: later }))[0]!.removalTime).toEqual(new Date(t0.getTime() + 7 * DAY));
      expect((await h.engine().findHistoricProcessInstances({ id: forever }))[0]!.removalTime).toBeNull();
      expect((await h.engine().findHistoricProcessInstances({ id: running }))[0]!.removalTime).toBeNull();

      now = new Date(t0.getTime() + 4 * DAY);
      await h.restart();
      expect(await h.engine().cleanupHistory()).toBe(0);

      now = new Date(t0.getTime() + 5 * DAY + 3_600_000);
      expect(await h.engine().cleanupHistory(2)).toBe(2);
      expect(await h.engine().cleanupHistory(2)).toBe(1);
      expect(await h.engine().cleanupHistory(2)).toBe(0);
      for (const id of early) {
        expect(await h.engine().findHistoricProcessInstances({ id })).toEqual([]);
        expect(await h.engine().findHistoricActivityInstances({ instanceId: id })).toEqual([]);
        expect(await h.engine().findHistoricTaskInstances({ instanceId: id })).toEqual([]);
        expect(await h.engine().findHistoricVariableInstances({ instanceId: id, includeDeleted: true })).toEqual([]);
        expect(await h.engine().findHistoricDetails({ instanceId: id })).toEqual([]);
      }
      const remaining = async () => (await h.engine().findHistoricProcessInstances({ idIn: [...early, later, forever, running] })).map((p) => p.id).sort();
      expect(await remaining()).toEqual([later, forever, running].sort());

      now = new Date(t0.getTime() + 8 * DAY);
      expect(await h.engine().cleanupHistory()).toBe(1);
      expect(await remaining()).toEqual([forever, running].sort());
      expect(await h.engine().findHistoricActivityInstances({ instanceId: running })).not.toEqual([]);

      now = new Date(t0.getTime() + 10_000 * DAY);
      expect(await h.engine().cleanupHistory()).toBe(0);
      expect(await remaining()).toEqual([forever, running].sort());
    });

    it('gives every history row of a finished instance its removal time, including rows written by earlier commands', async () => {
      const t0 = new Date('2031-03-01T00:00:00.000Z');
      now = t0;
      await h.deploy('Engine.historyCleanup.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'historyCleanup', variables: { v: 1 } });
      now = new Date(t0.getTime() + DAY);
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      await h.engine().completeTask(task!.id);
      const removal = new Date(t0.getTime() + 6 * DAY);
      expect((await h.engine().findHistoricProcessInstances({ id: pi.id }))[0]!.removalTime).toEqual(removal);
      const rows = [
        ...(await h.engine().findHistoricActivityInstances({ instanceId: pi.id })),
        ...(await h.engine().findHistoricTaskInstances({ instanceId: pi.id })),
        ...(await h.engine().findHistoricVariableInstances({ instanceId: pi.id })),
        ...(await h.engine().findHistoricDetails({ instanceId: pi.id })),
      ];
      expect(rows.map((r) => r.removalTime)).toEqual(rows.map(() => removal));
    });
  },
  () => ({ clock: { now: () => new Date(now.getTime()) } }),
);
