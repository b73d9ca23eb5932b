import { afterEach, expect, it } from 'vitest';
import type { Engine } from '../../engine/index.js';
import { eventually } from '../helpers/clock.js';
import { PG_URL, engineSuite } from '../helpers/engine-harness.js';
import { JobNodeProcess } from '../helpers/job-node-process.js';

const PROCESS = 'crashAsyncSteps';
const INSTANCES = 200;
/** Jobs the killed node runs at once: at most that many instances can have a step whose side effect repeats. */
const KILLED_CONCURRENCY = 4;
const STEPS = ['stepA', 'stepB', 'stepC'];
const STEP_VARIABLE: Record<string, string> = { stepA: 'byA', stepB: 'byB', stepC: 'byC' };
const ACTIVITIES = ['start', 'stepA', 'stepB', 'wait', 'stepC', 'end'];

/** Steps run by the engine of this process, which takes over after the kill. */
const ranHere: { instanceId: string; activityId: string }[] = [];

let node: JobNodeProcess | null = null;

afterEach(async () => {
  await node?.kill();
  node = null;
});

/** Instance ids by business key: every committed start, plus starts in flight at the kill that did commit. */
async function startedInstances(engine: Engine, killed: JobNodeProcess): Promise<Map<string, string>> {
  const started = new Map<string, string>();
  for (const [businessKey, id] of killed.linesOf('COMMIT')) started.set(businessKey!, id!);
  for (const [businessKey] of killed.linesOf('BEGIN')) {
    if (started.has(businessKey!)) continue;
    const [maybe] = await engine.findHistoricProcessInstances({ businessKey: businessKey! });
    if (maybe) started.set(businessKey!, maybe.id);
  }
  return started;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

engineSuite(
  'jobs across a crash',
  (h) => {
    it(
      'a node SIGKILLed in the middle of its jobs loses none: after a restart every instance completes once, each activity exactly once in its history',
      async () => {
        ranHere.length = 0;
        await h.deploy('Jobs.crashAsyncSteps.bpmn');
        const config = h.storeConfig();
        node = new JobNodeProcess({
          target: config.dataDir ?? config.schema!,
          databaseUrl: PG_URL,
          node: 'killed',
          processKey: PROCESS,
          instances: INSTANCES,
          startConcurrency: 2,
          businessKeyPrefix: 'crash-',
          // A short lock, so the jobs the dead node holds are free again soon after the kill.
          executor: { lockTimeMs: 1000, concurrency: KILLED_CONCURRENCY, maxJobsPerAcquisition: KILLED_CONCURRENCY },
        });
        // Kill somewhere in the middle of the 600 steps, at whatever point of its work the node then is.
        const killAt = 100 + Math.floor(Math.random() * 200);
        await node.until(() => node!.count('RAN') >= killAt, `${killAt} steps to run`);
        await node.kill();
        const killed = node;

        const engine = await h.restart();
        const started = await startedInstances(engine, killed);
        expect(started.size).toBeGreaterThan(0);
        const all = await engine.findHistoricProcessInstances({ definitionKey: PROCESS });
        expect(all.map((p) => p.id).sort()).toEqual([...started.values()].sort());
        // The kill left work behind for the new engine.
        expect(await engine.countJobs({})).toBeGreaterThan(0);

        engine.startJobExecutor({ lockTimeMs: 1000, concurrency: 4 });
        await eventually(
          async () => (await engine.countProcessInstances({ definitionKey: PROCESS })) === 0 && (await engine.countJobs({})) === 0,
          60_000,
          'every instance to complete after the restart',
        );
        await engine.stopJobExecutor();

        // Completed exactly once, every one of them.
        const done = await engine.findHistoricProcessInstances({ definitionKey: PROCESS });
        expect(done).toHaveLength(started.size);
        for (const p of done) expect(p).toMatchObject({ state: 'COMPLETED', endActivityId: 'end' });
        expect(new Set(done.map((p) => p.businessKey))).toEqual(new Set(started.keys()));

        // Each activity exactly once per instance, none missing, all finished and none canceled.
        const definitionId = done[0]!.definitionId;
        const activities = groupBy(await engine.findHistoricActivityInstances({ definitionId }), (a) => a.instanceId);
        expect([...activities.keys()].sort()).toEqual([...started.values()].sort());
        for (const [instanceId, acts] of activities) {
          expect(acts.map((a) => a.activityId).sort(), instanceId).toEqual([...ACTIVITIES].sort());
          expect(acts.filter((a) => a.endTime === null || a.canceled), instanceId).toEqual([]);
        }

        // Each step's result variable written once; its value names the node whose commit it was.
        const ids = [...started.values()];
        const variables = await engine.findHistoricVariableInstances({ instanceIdIn: ids });
        const details = await engine.findHistoricDetails({});
        const committedBy = new Map<string, string>();
        for (const id of ids) {
          const vars = variables.filter((v) => v.instanceId === id);
          expect(vars.map((v) => v.name).sort(), id).toEqual(['byA', 'byB', 'byC']);
          expect(details.filter((d) => d.instanceId === id).map((d) => d.name).sort(), id).toEqual(['byA', 'byB', 'byC']);
          for (const step of STEPS) committedBy.set(`${id} ${step}`, String(vars.find((v) => v.name === STEP_VARIABLE[step])!.value.value));
        }
        const byNode = groupBy([...committedBy.values()], (n) => n);
        expect([...byNode.keys()].sort(), 'both the killed node and the new engine committed steps').toEqual(['killed', 'restarted']);

        expect(await engine.countJobs({})).toBe(0);
        expect(await engine.countIncidents({})).toBe(0);

        // Side effects are at least once: every committed step ran on the node that committed it. Only
        // the jobs in flight at the kill ran twice, so at most that many instances saw a step repeat.
        const runs = new Map<string, string[]>();
        const ran = (key: string, who: string) => runs.set(key, [...(runs.get(key) ?? []), who]);
        for (const [who, instanceId, activityId] of killed.linesOf('RAN')) ran(`${instanceId} ${activityId}`, who!);
        for (const r of ranHere) ran(`${r.instanceId} ${r.activityId}`, 'restarted');
        for (const [key, who] of committedBy) expect(runs.get(key) ?? [], key).toContain(who);
        const repeated = [...runs].filter(([, whos]) => whos.length > 1);
        for (const [key, whos] of repeated) expect(whos, key).toEqual(['killed', 'restarted']);
        expect(new Set(repeated.map(([key]) => key.split(' ')[0])).size).toBeLessThanOrEqual(KILLED_CONCURRENCY);
      },
      120_000,
    );
  },
  () => ({
    beans: {
      steps: {
        run(execution: { getProcessInstanceId(): string; getCurrentActivityId(): string | null }): string {
          ranHere.push({ instanceId: execution.getProcessInstanceId(), activityId: execution.getCurrentActivityId()! });
          return 'restarted';
        },
      },
    },
  }),
);
