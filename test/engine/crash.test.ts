import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { PG_URL, engineSuite } from '../helpers/engine-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKER = join(ROOT, 'test', 'helpers', 'crash-worker.ts');

/** Polls until `check` holds, failing after the deadline (no fixed sleeps). */
async function until(check: () => boolean, what: string, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Log {
  /** Instance id by business key, for every committed start. */
  started: Map<string, string>;
  /** Committed task completions per instance id. */
  completions: Map<string, number>;
  /** The one action that was announced but not confirmed, if any. */
  inFlight: { kind: 'start'; businessKey: string } | { kind: 'complete'; instanceId: string; key: string } | null;
}

function parse(lines: string[]): Log {
  const started = new Map<string, string>();
  const completions = new Map<string, number>();
  let inFlight: Log['inFlight'] = null;
  for (const line of lines) {
    const [phase, , kind, a, b] = line.split(' ');
    if (phase === 'BEGIN') inFlight = kind === 'start' ? { kind: 'start', businessKey: a! } : { kind: 'complete', instanceId: a!, key: b! };
    if (phase === 'COMMIT') {
      inFlight = null;
      if (kind === 'start') started.set(a!, b!);
      else completions.set(a!, (completions.get(a!) ?? 0) + 1);
    }
  }
  return { started, completions, inFlight };
}

let child: ChildProcess | null = null;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

engineSuite('crash recovery', (h) => {
  it(
    'after a SIGKILL mid-run every instance is exactly at the wait state of its last commit, and all of them can be completed',
    async () => {
      const config = h.storeConfig();
      const target = config.dataDir ?? config.schema!;
      const lines: string[] = [];
      let stderr = '';
      let partial = '';
      child = spawn(process.execPath, ['--import', 'tsx', WORKER, target], {
        cwd: ROOT,
        env: { ...process.env, TEST_DATABASE_URL: PG_URL },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop()!;
        lines.push(...parts.filter(Boolean));
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));

      const commits = () => lines.filter((l) => l.startsWith('COMMIT')).length;
      await until(() => commits() >= 60 || child!.exitCode !== null, 'the worker to commit 60 actions');
      expect(child.exitCode, stderr).toBeNull();
      // Kill a few actions later, at whatever point of its work the worker then is.
      const killAt = commits() + 1 + Math.floor(Math.random() * 5);
      await until(() => commits() >= killAt, `commit ${killAt}`);
      child.kill('SIGKILL');
      await exited;
      expect(child.signalCode).toBe('SIGKILL');
      if (partial) lines.push(partial);

      const log = parse(lines);
      expect(log.started.size).toBeGreaterThan(5);
      const engine = await h.restart();

      // Every instance the worker started — committed, or in flight and maybe committed.
      const instances = new Map(log.started);
      if (log.inFlight?.kind === 'start') {
        const [maybe] = await engine.findHistoricProcessInstances({ businessKey: log.inFlight.businessKey });
        if (maybe) instances.set(log.inFlight.businessKey, maybe.id);
      }
      const all = await engine.findHistoricProcessInstances({ definitionKey: 'crashTwoTasks' });
      expect(all.map((p) => p.id).sort()).toEqual([...instances.values()].sort());

      for (const [businessKey, id] of instances) {
        const committed = log.completions.get(id) ?? 0;
        const mayBeAhead = log.inFlight?.kind === 'complete' && log.inFlight.instanceId === id;
        const runtime = await engine.getProcessInstance(id);
        const [hpi] = await engine.findHistoricProcessInstances({ id });
        const htasks = await engine.findHistoricTaskInstances({ instanceId: id });
        const acts = await engine.findHistoricActivityInstances({ instanceId: id }, {}, [{ by: 'sequenceCounter' }]);
        let done: number;
        if (runtime) {
          // Waiting: exactly one open task, one execution, one unfinished activity — and nothing half-written.
          const tasks = await engine.findTasks({ instanceId: id });
          expect(tasks, businessKey).toHaveLength(1);
          expect(await engine.findExecutions({ instanceId: id }), businessKey).toHaveLength(1);
          done = tasks[0]!.taskDefinitionKey === 'taskA' ? 0 : 1;
          expect(tasks[0]!.taskDefinitionKey).toBe(done === 0 ? 'taskA' : 'taskB');
          expect(hpi).toMatchObject({ state: 'ACTIVE', businessKey });
          expect(acts.filter((a) => a.endTime === null).map((a) => a.activityId)).toEqual([tasks[0]!.taskDefinitionKey]);
          expect(htasks.filter((t) => t.endTime === null).map((t) => t.id)).toEqual([tasks[0]!.id]);
        } else {
          done = 2;
          expect(hpi).toMatchObject({ state: 'COMPLETED', businessKey, endActivityId: 'end' });
          expect(acts.map((a) => a.activityId)).toEqual(['start', 'taskA', 'taskB', 'end']);
          expect(acts.every((a) => a.endTime !== null)).toBe(true);
        }
        expect(htasks.filter((t) => t.deleteReason === 'completed')).toHaveLength(done);
        expect(htasks).toHaveLength(done === 2 ? 2 : done + 1);
        expect(mayBeAhead ? [committed, committed + 1] : [committed], `${businessKey}: ${done} tasks done, ${committed} committed`).toContain(done);
      }

      // The engine goes on with every instance as if nothing had happened.
      for (const id of instances.values()) {
        for (let guard = 0; guard < 3; guard++) {
          const [task] = await engine.findTasks({ instanceId: id });
          if (!task) break;
          await engine.completeTask(task.id, { [`done_${task.taskDefinitionKey}`]: 'after crash' });
        }
        expect(await engine.getProcessInstance(id)).toBeNull();
        const [hpi] = await engine.findHistoricProcessInstances({ id });
        expect(hpi!.state).toBe('COMPLETED');
        const vars = Object.fromEntries((await engine.findHistoricVariableInstances({ instanceId: id })).map((v) => [v.name, v.value.value]));
        expect(Object.keys(vars).sort()).toEqual(['done_taskA', 'done_taskB', 'startedBy']);
      }
    },
    120_000,
  );
});
