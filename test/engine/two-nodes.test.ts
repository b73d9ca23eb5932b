import { afterEach, expect, it } from 'vitest';
import { eventually } from '../helpers/clock.js';
import { PG_URL, engineSuite } from '../helpers/engine-harness.js';
import { JobNodeProcess } from '../helpers/job-node-process.js';

const PROCESS = 'twoNodes';
const PER_NODE = 500;
const ACTIVITIES = ['start', 'step1', 'step2', 'step3', 'end'];
const STEP_VARIABLES = ['by1', 'by2', 'by3'];

let nodes: JobNodeProcess[] = [];

afterEach(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  nodes = [];
});

engineSuite('two nodes sharing one database', (h) => {
  it(
    'two nodes, each with a job executor, share the jobs of 1,000 instances: every instance completes once, each step runs exactly once, both nodes work',
    async () => {
      await h.deploy('Jobs.twoNodes.bpmn');
      const config = h.storeConfig();
      const names = ['node-a', 'node-b'];
      nodes = names.map(
        (node) =>
          new JobNodeProcess({
            target: config.schema!,
            databaseUrl: PG_URL,
            node,
            processKey: PROCESS,
            instances: PER_NODE,
            startConcurrency: 4,
            businessKeyPrefix: `${node}-`,
            executor: { concurrency: 4, maxJobsPerAcquisition: 4 },
          }),
      );
      await Promise.all(nodes.map((n) => n.until(() => n.count('STARTED') === 1, `${PER_NODE} starts`, 60_000)));
      const engine = h.engine();
      await eventually(
        async () => (await engine.countProcessInstances({ definitionKey: PROCESS })) === 0,
        60_000,
        'every instance to complete',
      );
      await Promise.all(nodes.map((n) => n.stop()));

      // Every instance started once (half through each node) and completed once.
      const done = await engine.findHistoricProcessInstances({ definitionKey: PROCESS });
      expect(done).toHaveLength(2 * PER_NODE);
      for (const p of done) expect(p).toMatchObject({ state: 'COMPLETED', endActivityId: 'end' });
      const committedStarts = nodes.flatMap((n) => n.linesOf('COMMIT').map(([, id]) => id!));
      expect(committedStarts.sort()).toEqual(done.map((p) => p.id).sort());
      for (const n of names) expect(done.filter((p) => p.businessKey!.startsWith(`${n}-`))).toHaveLength(PER_NODE);

      // Each activity exactly once per instance, none missing, none canceled.
      const perInstance = new Map<string, string[]>();
      for (const a of await engine.findHistoricActivityInstances({ definitionId: done[0]!.definitionId })) {
        expect(a.endTime, `${a.instanceId} ${a.activityId}`).not.toBeNull();
        expect(a.canceled).toBe(false);
        perInstance.set(a.instanceId, [...(perInstance.get(a.instanceId) ?? []), a.activityId]);
      }
      expect(perInstance.size).toBe(2 * PER_NODE);
      for (const [id, acts] of perInstance) expect(acts.sort(), id).toEqual([...ACTIVITIES].sort());

      // Each step's result variable says which node committed it: both nodes did work, and all of it once.
      const variables = await engine.findHistoricVariableInstances({ instanceIdIn: done.map((p) => p.id) });
      expect(variables).toHaveLength(2 * PER_NODE * STEP_VARIABLES.length);
      const perVariable = new Map<string, number>();
      const stepsBy = new Map<string, number>(names.map((n) => [n, 0]));
      for (const v of variables) {
        expect(STEP_VARIABLES).toContain(v.name);
        const key = `${v.instanceId} ${v.name}`;
        perVariable.set(key, (perVariable.get(key) ?? 0) + 1);
        const by = String(v.value.value);
        expect(names).toContain(by);
        stepsBy.set(by, stepsBy.get(by)! + 1);
      }
      expect([...perVariable.values()].every((c) => c === 1)).toBe(true);
      expect((await engine.findHistoricDetails({})).length).toBe(2 * PER_NODE * STEP_VARIABLES.length);

      // What each node says it ran is what the history says it committed: no step ran twice anywhere.
      for (const n of nodes) {
        const [ran] = n.linesOf('STOPPED')[0]!;
        expect(stepsBy.get(n.request.node), `steps committed by ${n.request.node}`).toBeGreaterThan(0);
        expect(Number(ran), `steps run by ${n.request.node}`).toBe(stepsBy.get(n.request.node));
        expect(n.stderr).not.toContain('job executor failure');
      }

      expect(await engine.countJobs({})).toBe(0);
      expect(await engine.countIncidents({})).toBe(0);
    },
    120_000,
  );
},
// Two nodes need a database server both reach; the embedded store is one process's file.
() => ({}),
['postgres']);
