import { expect, it } from 'vitest';
import type { Engine } from '../../engine/index.js';
import { eventually } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

async function onlyJob(engine: Engine, instanceId: string) {
  const jobs = await engine.findJobs({ instanceId });
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
}

async function waitingAt(engine: Engine, instanceId: string): Promise<string[]> {
  return (await engine.findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
}

engineSuite('job and job definition suspension', (h) => {
  it('a suspended job is not acquired while an active one runs, stays suspended across a restart, and runs once activated', async () => {
    await h.deploy('JobSuspension.asyncTask.bpmn');
    const held = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionAsyncTask' });
    const other = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionAsyncTask' });
    const job = await onlyJob(h.engine(), held.id);
    await h.engine().suspendJobs({ jobId: job.id });
    expect(await h.engine().getJob(job.id)).toMatchObject({ suspended: true, retries: 3 });
    expect(await h.engine().getProcessInstance(held.id)).toMatchObject({ suspended: false });

    expect(await h.engine().runDueJobs()).toBe(1);
    expect(await waitingAt(h.engine(), other.id)).toEqual(['review']);
    expect(await waitingAt(h.engine(), held.id)).toEqual([]);

    await h.restart();
    expect(await h.engine().getJob(job.id)).toMatchObject({ suspended: true });
    expect(await h.engine().runDueJobs()).toBe(0);
    await h.engine().activateJobs({ jobId: job.id });
    expect(await h.engine().runDueJobs()).toBe(1);
    expect(await waitingAt(h.engine(), held.id)).toEqual(['review']);
  });

  it('the job executor leaves a suspended job alone and runs it as soon as it is activated', async () => {
    await h.deploy('JobSuspension.asyncTask.bpmn');
    const held = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionAsyncTask' });
    await h.engine().suspendJobs({ processInstanceId: held.id });
    const node = await h.secondEngine();
    node.startJobExecutor({ pollIntervalMs: 60_000 });
    try {
      const other = await node.startProcessInstance({ processDefinitionKey: 'jobSuspensionAsyncTask' });
      await eventually(async () => (await waitingAt(node, other.id)).length > 0, 5000, 'the active job to run');
      expect(await waitingAt(node, held.id)).toEqual([]);
      expect(await node.countJobs({ instanceId: held.id, suspended: true })).toBe(1);
      // Activation wakes the executor: it does not wait for its next poll.
      await node.activateJobs({ processInstanceId: held.id });
      await eventually(async () => (await waitingAt(node, held.id)).length > 0, 5000, 'the activated job to run');
    } finally {
      await node.stopJobExecutor();
    }
  });

  it('jobs are suspended and activated by job definition, process instance, process definition and key', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.twoSteps.bpmn');
    const definitionId = definitions[0]!.id;
    const a = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionTwoSteps' });
    const b = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionTwoSteps' });
    const suspendedIn = async (instanceId: string) => (await onlyJob(h.engine(), instanceId)).suspended;
    const first = `${definitionId}:first:async-before`;
    expect((await onlyJob(h.engine(), a.id)).jobDefinitionId).toBe(first);

    await h.engine().suspendJobs({ processInstanceId: a.id });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([true, false]);
    await h.engine().suspendJobs({ jobDefinitionId: first });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([true, true]);
    await h.engine().activateJobs({ processDefinitionId: definitionId });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([false, false]);
    await h.engine().suspendJobs({ processDefinitionKey: 'jobSuspensionTwoSteps' });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([true, true]);
    // Only one selection at a time, as Camunda's builder allows.
    await expect(h.engine().activateJobs({ processInstanceId: a.id, processDefinitionId: definitionId })).rejects.toThrow(/Exactly one of/);
    await expect(h.engine().activateJobs({})).rejects.toThrow(/Exactly one of/);
    // Jobs of no tenant are not among a tenant's.
    await h.engine().activateJobs({ processDefinitionKey: 'jobSuspensionTwoSteps', processDefinitionTenantId: 'acme' });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([true, true]);
    await h.engine().activateJobs({ processDefinitionKey: 'jobSuspensionTwoSteps', processDefinitionTenantId: null });
    expect([await suspendedIn(a.id), await suspendedIn(b.id)]).toEqual([false, false]);
    // A job definition or instance that does not exist selects nothing, as in Camunda.
    await h.engine().suspendJobs({ jobId: 'no-such-job' });
    await h.engine().suspendJobDefinitions({ jobDefinitionId: 'no-such-job-definition' });

    await h.engine().suspendJobs({ processInstanceId: a.id });
    expect(await h.engine().runDueJobs()).toBe(2);
    expect(await waitingAt(h.engine(), b.id)).toEqual(['review']);
    expect(await waitingAt(h.engine(), a.id)).toEqual([]);
    await h.engine().activateJobs({ processInstanceId: a.id });
    expect(await h.engine().runDueJobs()).toBe(2);
    expect(await waitingAt(h.engine(), a.id)).toEqual(['review']);
  });

  it('a job definition suspended without its jobs leaves them running and creates its new jobs suspended, also after a restart', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.twoSteps.bpmn');
    const definitionId = definitions[0]!.id;
    const second = `${definitionId}:second:async-before`;
    const pi = await h.engine().startProcessInstance({ processDefinitionId: definitionId });
    await h.engine().suspendJobDefinitions({ jobDefinitionId: second });
    expect((await h.engine().findJobDefinitions({ definitionId })).map((d) => [d.activityId, d.suspended])).toEqual([
      ['first', false],
      ['second', true],
    ]);

    expect(await h.engine().runDueJobs()).toBe(1);
    expect(await onlyJob(h.engine(), pi.id)).toMatchObject({ activityId: 'second', jobDefinitionId: second, suspended: true });
    expect(await h.engine().runDueJobs()).toBe(0);

    await h.restart();
    expect(await h.engine().findJobDefinitions({ id: second })).toMatchObject([{ suspended: true }]);
    expect(await h.engine().findJobDefinitions({ definitionId, suspended: true })).toHaveLength(1);
    expect(await h.engine().runDueJobs()).toBe(0);
    await h.engine().activateJobDefinitions({ jobDefinitionId: second }, { includeJobs: true });
    expect(await h.engine().findJobDefinitions({ definitionId, suspended: true })).toEqual([]);
    expect(await h.engine().runDueJobs()).toBe(1);
    expect(await waitingAt(h.engine(), pi.id)).toEqual(['review']);
  });

  it('includeJobs suspends the existing jobs with their job definition; activating only the job definition leaves them suspended', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.twoSteps.bpmn');
    const first = `${definitions[0]!.id}:first:async-before`;
    const pi = await h.engine().startProcessInstance({ processDefinitionId: definitions[0]!.id });
    await h.engine().suspendJobDefinitions({ jobDefinitionId: first }, true, { includeJobs: true });
    expect(await onlyJob(h.engine(), pi.id)).toMatchObject({ jobDefinitionId: first, suspended: true });
    expect(await h.engine().runDueJobs()).toBe(0);

    await h.engine().activateJobDefinitions({ jobDefinitionId: first });
    expect(await h.engine().findJobDefinitions({ id: first })).toMatchObject([{ suspended: false }]);
    expect(await onlyJob(h.engine(), pi.id)).toMatchObject({ suspended: true });
    expect(await h.engine().runDueJobs()).toBe(0);
    await h.engine().activateJobs({ jobDefinitionId: first });
    expect(await h.engine().runDueJobs()).toBe(2);
    expect(await waitingAt(h.engine(), pi.id)).toEqual(['review']);
  });

  it('activating a process instance activates its jobs, those of a suspended job definition too, as Camunda does', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.twoSteps.bpmn');
    const first = `${definitions[0]!.id}:first:async-before`;
    await h.engine().suspendJobDefinitions({ jobDefinitionId: first });
    const pi = await h.engine().startProcessInstance({ processDefinitionId: definitions[0]!.id });
    expect(await onlyJob(h.engine(), pi.id)).toMatchObject({ jobDefinitionId: first, suspended: true });
    await h.engine().suspendProcessInstance(pi.id);
    await h.engine().activateProcessInstance(pi.id);
    expect(await onlyJob(h.engine(), pi.id)).toMatchObject({ suspended: false });
    expect(await h.engine().findJobDefinitions({ id: first })).toMatchObject([{ suspended: true }]);
    expect(await h.engine().runDueJobs()).toBe(2);
    expect(await waitingAt(h.engine(), pi.id)).toEqual(['review']);
  });

  it('executing a suspended job by id runs it, as Camunda does: only acquisition skips suspended jobs', async () => {
    await h.deploy('JobSuspension.asyncTask.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'jobSuspensionAsyncTask' });
    const job = await onlyJob(h.engine(), pi.id);
    await h.engine().suspendJobs({ jobId: job.id });
    await h.engine().executeJob(job.id);
    expect(await waitingAt(h.engine(), pi.id)).toEqual(['review']);
  });

  it('job definitions by process definition and key take their timer start jobs with them, and follow the process definition', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.timerStart.bpmn');
    const definitionId = definitions[0]!.id;
    const [timer] = await h.engine().findJobs({ definitionId, type: 'timer-start-event' });
    expect(timer).toMatchObject({ jobDefinitionId: `${definitionId}:daily:timer-start-event`, suspended: false });
    const states = async () => (await h.engine().findJobDefinitions({ definitionId })).map((d) => d.suspended);

    await h.engine().suspendJobDefinitions({ processDefinitionKey: 'jobSuspensionTimerStart' });
    expect(await states()).toEqual([true, true]);
    expect(await h.engine().getJob(timer!.id)).toMatchObject({ suspended: true });
    await h.engine().activateJobDefinitions({ processDefinitionId: definitionId });
    expect(await states()).toEqual([false, false]);
    expect(await h.engine().getJob(timer!.id)).toMatchObject({ suspended: false });

    // Suspending the process definition suspends its job definitions (Camunda), one activated before or not.
    await h.engine().suspendJobDefinitions({ jobDefinitionId: `${definitionId}:work:async-before` });
    await h.engine().suspendProcessDefinition(definitionId);
    expect(await states()).toEqual([true, true]);
    expect(await h.engine().getJob(timer!.id)).toMatchObject({ suspended: true });
    await h.engine().suspendProcessDefinition(definitionId, false);
    expect(await states()).toEqual([false, false]);
    expect(await h.engine().getJob(timer!.id)).toMatchObject({ suspended: false });
  });

  it('every job names its job definition: asyncAfter, asyncBefore of a multi-instance body and of its instances, a timer', async () => {
    const { processDefinitions: definitions } = await h.deploy('JobSuspension.multiInstance.bpmn');
    const definitionId = definitions[0]!.id;
    const known = new Set((await h.engine().findJobDefinitions({ definitionId })).map((d) => d.id));
    const pi = await h.engine().startProcessInstance({ processDefinitionId: definitionId });
    const jobDefinitionIds = async () => (await h.engine().findJobs({ instanceId: pi.id })).map((j) => j.jobDefinitionId!.slice(definitionId.length + 1)).sort();

    expect(await jobDefinitionIds()).toEqual(['prepare:async-after']);
    await h.engine().executeJob((await onlyJob(h.engine(), pi.id)).id);
    expect(await jobDefinitionIds()).toEqual(['each#multiInstanceBody:async-before']);
    await h.engine().executeJob((await onlyJob(h.engine(), pi.id)).id);
    expect(await jobDefinitionIds()).toEqual(['each:async-before', 'each:async-before', 'timeout:timer-transition']);
    for (const job of await h.engine().findJobs({ instanceId: pi.id })) expect(known).toContain(job.jobDefinitionId);
    await h.engine().deleteProcessInstance(pi.id);
  });
});
