import { afterEach, expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

/**
 * A barrier in the tasks' complete listener. When armed for n commands, each
 * completing command waits there — after it has loaded the instance — until n
 * commands arrived, so they all work on the same revision. Unarmed it lets
 * everything through.
 */
const gate = {
  expected: 0,
  arrived: 0,
  waiters: [] as (() => void)[],
  arm(n: number) {
    this.expected = n;
    this.arrived = 0;
    this.waiters = [];
  },
  notify(): Promise<void> | void {
    if (this.expected === 0) return;
    this.arrived++;
    if (this.arrived >= this.expected) {
      for (const w of this.waiters) w();
      this.waiters = [];
      return;
    }
    return new Promise<void>((resolve, reject) => {
      this.waiters.push(resolve);
      setTimeout(() => reject(new Error(`gate: only ${this.arrived} of ${this.expected} commands arrived`)), 10_000).unref();
    });
  },
};

engineSuite(
  'concurrency',
  (h) => {
    afterEach(() => gate.arm(0));

    const tasksOf = async (instanceId: string) => h.engine().findTasks({ instanceId }, {}, [{ by: 'taskDefinitionKey' }]);

    it('two engines completing tasks of the same instance at once: exactly one commits, the other gets a CONFLICT and the instance stays consistent', async () => {
      await h.deploy('Engine.concurrentJoin.bpmn');
      const other = await h.secondEngine();
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'concurrentJoin' });
      const [a, b] = await tasksOf(pi.id);

      gate.arm(2);
      const results = await Promise.allSettled([h.engine().completeTask(a!.id), other.completeTask(b!.id)]);
      gate.arm(0);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: 'CONFLICT', camundaType: 'OptimisticLockingException' });

      // The loser left nothing behind: its task is still open, the winner's is done, the join has not fired.
      const loserTask = results[0]!.status === 'rejected' ? a! : b!;
      const open = await tasksOf(pi.id);
      expect(open.map((t) => t.id)).toEqual([loserTask.id]);
      // The process instance, the winner's token waiting in the join, the loser's token at its task.
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(3);
      const finishedTasks = await h.engine().findHistoricTaskInstances({ instanceId: pi.id, finished: true });
      expect(finishedTasks.map((t) => t.id)).toEqual([loserTask.id === a!.id ? b!.id : a!.id]);
      expect(await other.findTasks({ instanceId: pi.id })).toEqual(open);

      // Retrying the lost command on the other node succeeds and the join fires exactly once.
      await (loserTask.id === a!.id ? other : h.engine()).completeTask(loserTask.id);
      const after = await tasksOf(pi.id);
      expect(after.map((t) => t.taskDefinitionKey)).toEqual(['after']);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
      expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'join' })).toHaveLength(2);
      expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'after' })).toHaveLength(1);
    });

    it('a second engine continues instances the first one started, and the first sees its changes', async () => {
      await h.deploy('Engine.concurrentJoin.bpmn');
      const other = await h.secondEngine();
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'concurrentJoin' });
      const [a, b] = await tasksOf(pi.id);
      await other.completeTask(a!.id, { by: 'other' });
      await h.engine().completeTask(b!.id);
      const [after] = await tasksOf(pi.id);
      await other.completeTask(after!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      expect((await h.engine().findHistoricVariableInstances({ instanceId: pi.id })).map((v) => v.value.value)).toEqual(['other']);
    });

    it('within one engine concurrent commands on one instance are serialized: both parallel tasks complete and the join fires once', async () => {
      await h.deploy('Engine.concurrentJoin.bpmn');
      for (let round = 0; round < 5; round++) {
        const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'concurrentJoin' });
        const [a, b] = await tasksOf(pi.id);
        await Promise.all([h.engine().completeTask(a!.id, { fromA: round }), h.engine().completeTask(b!.id, { fromB: round })]);
        const after = await tasksOf(pi.id);
        expect(after.map((t) => t.taskDefinitionKey)).toEqual(['after']);
        expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
        expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'join' })).toHaveLength(2);
        expect(await h.engine().getVariables(pi.id)).toEqual({ fromA: { type: 'Integer', value: round }, fromB: { type: 'Integer', value: round } });
      }
    });

    it('many concurrent variable updates on one instance within one engine are all kept', async () => {
      await h.deploy('Engine.concurrentJoin.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'concurrentJoin' });
      await Promise.all(Array.from({ length: 20 }, (_, i) => h.engine().setVariables(pi.id, { [`v${i}`]: i, counter: i })));
      const vars = await h.engine().getVariables(pi.id);
      expect(Object.keys(vars)).toHaveLength(21);
      for (let i = 0; i < 20; i++) expect(vars[`v${i}`]).toEqual({ type: 'Integer', value: i });
      // Commands ran one after the other: each update of the shared variable is one revision, none lost.
      const [counter] = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'counter' });
      const revisions = await h.engine().findHistoricDetails({ variableInstanceId: counter!.id });
      expect(revisions.map((d) => d.revision).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const last = revisions.find((d) => d.revision === 19)!;
      expect(vars['counter']).toEqual(last.value);
    });
  },
  () => ({ beans: { gate } }),
);
