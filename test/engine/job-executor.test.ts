import { expect, it } from 'vitest';
import { eventually } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

/** A bean whose `pass()` holds every caller until the test opens it. */
class Gate {
  waiting = 0;
  passed = 0;
  private open = false;
  private readonly released: (() => void)[] = [];

  pass(): Promise<boolean> {
    if (this.open) return Promise.resolve(++this.passed > 0);
    this.waiting++;
    return new Promise((resolve) =>
      this.released.push(() => {
        this.waiting--;
        this.passed++;
        resolve(true);
      }),
    );
  }

  reset(): void {
    this.waiting = 0;
    this.passed = 0;
    this.open = false;
  }

  openUp(): void {
    this.open = true;
    for (const release of this.released.splice(0)) release();
  }
}

const gate = new Gate();

engineSuite(
  'job executor acquisition',
  (h) => {
    it('while its only slot runs a job, the executor holds the next jobs claimed; stopping hands back those it did not start', async () => {
      gate.reset();
      await h.deploy('Jobs.gatedStep.bpmn');
      const engine = h.engine();
      for (let i = 0; i < 6; i++) await engine.startProcessInstance({ processDefinitionKey: 'gatedStep' });
      const lockedBy = async (owner: string) => (await engine.findJobs({})).filter((j) => j.lockOwner === owner).length;

      engine.startJobExecutor({ lockOwner: 'prefetching', concurrency: 1, maxJobsPerAcquisition: 2, prefetch: 2, pollIntervalMs: 60_000 });
      try {
        await eventually(async () => gate.waiting === 1, 5000, 'the first job to run');
        // One running, two claimed ahead of it; the other three are free for any node.
        await eventually(async () => (await lockedBy('prefetching')) === 3, 5000, 'the next batch to be claimed');
        expect(gate.waiting).toBe(1);
        expect(await engine.countJobs({})).toBe(6);

        const stopped = engine.stopJobExecutor();
        // The queued jobs are handed back at once; the running one keeps its lock until it finishes.
        await eventually(async () => (await lockedBy('prefetching')) === 1, 5000, 'the queued jobs to be handed back');
        gate.openUp();
        await stopped;
      } finally {
        // A failed expectation must not leave a job (and the engine's close) waiting forever.
        gate.openUp();
        await engine.stopJobExecutor();
      }

      expect(gate.passed).toBe(1);
      const jobs = await engine.findJobs({});
      expect(jobs).toHaveLength(5);
      expect(jobs.every((j) => j.lockOwner === null && j.lockExpiration === null)).toBe(true);
      expect(await engine.countTasks({ taskDefinitionKey: 'done' })).toBe(1);

      // Anyone may run the handed-back jobs now.
      expect(await engine.runDueJobs()).toBe(5);
      expect(await engine.countTasks({ taskDefinitionKey: 'done' })).toBe(6);
    });
  },
  () => ({ clock: { now: () => new Date() }, beans: { gate } }),
);
