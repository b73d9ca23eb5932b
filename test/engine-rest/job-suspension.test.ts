import { beforeAll, expect, it } from 'vitest';
import { fixture } from '../helpers/engine-harness.js';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest job and job definition suspension', (h) => {
  let definitionId = '';
  let tenantDefinitionId = '';
  beforeAll(async () => {
    expect((await h.deployFixtures('job-suspension', 'JobSuspension.twoSteps.bpmn')).status).toBe(200);
    definitionId = (await h.get('/process-definition/key/jobSuspensionTwoSteps')).body.id;
    const form = new FormData();
    form.append('deployment-name', 'job-suspension-acme');
    form.append('tenant-id', 'acme');
    form.append('JobSuspension.twoSteps.bpmn', new Blob([fixture('JobSuspension.twoSteps.bpmn')]), 'JobSuspension.twoSteps.bpmn');
    expect((await h.call('POST', '/deployment/create', form)).status).toBe(200);
    tenantDefinitionId = (await h.get('/process-definition/key/jobSuspensionTwoSteps/tenant-id/acme')).body.id;
  });

  const start = async (path = '/process-definition/key/jobSuspensionTwoSteps') => {
    const res = await h.post(`${path}/start`, {});
    expect(res.status).toBe(200);
    return res.body.id as string;
  };
  const jobOf = async (instanceId: string) => {
    const res = await h.get(`/job?processInstanceId=${instanceId}`);
    expect(res.body).toHaveLength(1);
    return res.body[0];
  };
  const suspendedOf = async (...instanceIds: string[]) => Promise.all(instanceIds.map(async (id) => (await jobOf(id)).suspended));
  const bad = (message: string) => ({ status: 400, body: { type: 'InvalidRequestException', message, code: null } });

  it('a job answers its job definition id, and /job filters by it', async () => {
    const pi = await start();
    const first = `${definitionId}:first:async-before`;
    const job = await jobOf(pi);
    expect(job.jobDefinitionId).toBe(first);
    expect((await h.get(`/job/${job.id}`)).body).toMatchObject({ id: job.id, jobDefinitionId: first });
    expect((await h.get(`/job?jobDefinitionId=${encodeURIComponent(first)}`)).body.map((j: any) => j.id)).toEqual([job.id]);
    expect((await h.post('/job/count', { jobDefinitionId: `${definitionId}:second:async-before` })).body).toEqual({ count: 0 });
    expect((await h.get(`/job-definition/${encodeURIComponent(first)}`)).body.id).toBe(job.jobDefinitionId);
    await h.del(`/process-instance/${pi}`);
  });

  it('PUT /job/{id}/suspended suspends and activates one job; /job filters active and suspended jobs', async () => {
    const pi = await start();
    const other = await start();
    const job = await jobOf(pi);
    expect((await h.put(`/job/${job.id}/suspended`, { suspended: true })).status).toBe(204);
    expect((await h.get(`/job/${job.id}`)).body.suspended).toBe(true);
    expect(await suspendedOf(pi, other)).toEqual([true, false]);
    expect((await h.get(`/job?suspended=true&processDefinitionId=${definitionId}`)).body.map((j: any) => j.id)).toEqual([job.id]);
    expect((await h.get(`/job/count?active=true&processDefinitionId=${definitionId}`)).body).toEqual({ count: 1 });
    // The job executor's view: a suspended job is not executable.
    expect((await h.get(`/job/count?executable=true&processInstanceId=${pi}`)).body).toEqual({ count: 0 });

    expect((await h.put(`/job/${job.id}/suspended`, { suspended: false })).status).toBe(204);
    expect(await suspendedOf(pi, other)).toEqual([false, false]);
    // As in Camunda, an id that matches nothing changes nothing.
    expect((await h.put('/job/no-such-job/suspended', { suspended: true })).status).toBe(204);

    expect(await h.put(`/job/${job.id}/suspended`, {})).toMatchObject(bad(`'suspended' is required`));
    expect(await h.put(`/job/${job.id}/suspended`, { suspended: true, processInstanceId: pi })).toMatchObject(
      bad('Only one of jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'),
    );
    expect(await suspendedOf(pi, other)).toEqual([false, false]);
    await h.del(`/process-instance/${pi}`);
    await h.del(`/process-instance/${other}`);
  });

  it('PUT /job/suspended selects the jobs by job definition, process instance, process definition or key and tenant', async () => {
    const a = await start();
    const b = await start();
    const acme = await start('/process-definition/key/jobSuspensionTwoSteps/tenant-id/acme');
    const put = (body: object) => h.put('/job/suspended', body);

    expect((await put({ suspended: true, processInstanceId: a })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([true, false, false]);
    expect((await put({ suspended: true, jobDefinitionId: `${definitionId}:first:async-before` })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([true, true, false]);
    expect((await put({ suspended: false, processDefinitionId: definitionId })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([false, false, false]);
    expect((await put({ suspended: true, processDefinitionKey: 'jobSuspensionTwoSteps', processDefinitionTenantId: 'acme' })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([false, false, true]);
    expect((await put({ suspended: true, processDefinitionKey: 'jobSuspensionTwoSteps', processDefinitionWithoutTenantId: true })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([true, true, true]);
    expect((await put({ suspended: false, processDefinitionKey: 'jobSuspensionTwoSteps' })).status).toBe(204);
    expect(await suspendedOf(a, b, acme)).toEqual([false, false, false]);

    expect(await put({ suspended: true })).toMatchObject(
      bad('Either jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'),
    );
    expect(await put({ suspended: true, jobId: 'j1' })).toMatchObject(
      bad('Either jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey can be set to update the suspension state.'),
    );
    expect(await put({ suspended: true, processInstanceId: a, processDefinitionKey: 'jobSuspensionTwoSteps' })).toMatchObject(
      bad('Only one of jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'),
    );
    expect(await put({ processInstanceId: a })).toMatchObject(bad(`'suspended' is required`));
    expect(await suspendedOf(a, b, acme)).toEqual([false, false, false]);
    for (const id of [a, b, acme]) await h.del(`/process-instance/${id}`);
  });

  it('PUT /job-definition/{id}/suspended suspends a job definition, with its jobs on request; new jobs of it start suspended', async () => {
    const pi = await start();
    const first = `${definitionId}:first:async-before`;
    const second = `${definitionId}:second:async-before`;
    expect((await h.put(`/job-definition/${encodeURIComponent(second)}/suspended`, { suspended: true, includeJobs: false, executionDate: null })).status).toBe(204);
    expect((await h.get(`/job-definition/${encodeURIComponent(second)}`)).body.suspended).toBe(true);
    expect((await h.get(`/job-definition?suspended=true&processDefinitionId=${definitionId}`)).body.map((d: any) => d.id)).toEqual([second]);
    expect((await h.get(`/job-definition/count?active=true&processDefinitionId=${definitionId}`)).body).toEqual({ count: 1 });
    expect(await suspendedOf(pi)).toEqual([false]);

    // The job of the active job definition runs; the next one, of the suspended one, is created suspended.
    expect((await h.post(`/job/${(await jobOf(pi)).id}/execute`)).status).toBe(204);
    expect(await jobOf(pi)).toMatchObject({ jobDefinitionId: second, suspended: true });

    expect((await h.put(`/job-definition/${encodeURIComponent(first)}/suspended`, { suspended: true, includeJobs: true })).status).toBe(204);
    expect((await h.put(`/job-definition/${encodeURIComponent(second)}/suspended`, { suspended: false, includeJobs: true })).status).toBe(204);
    expect(await jobOf(pi)).toMatchObject({ jobDefinitionId: second, suspended: false });
    expect((await h.get(`/job-definition?suspended=true&processDefinitionId=${definitionId}`)).body.map((d: any) => d.id)).toEqual([first]);

    expect(await h.put(`/job-definition/${encodeURIComponent(first)}/suspended`, { suspended: false, executionDate: '2030-01-01T00:00:00.000+0000' })).toMatchObject(
      bad('A delayed suspension (executionDate) is not supported by CadenzaFlow yet'),
    );
    expect(await h.put(`/job-definition/${encodeURIComponent(first)}/suspended`, { suspended: false, processDefinitionId: definitionId })).toMatchObject(
      bad('Only one of jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'),
    );
    expect((await h.get(`/job-definition/${encodeURIComponent(first)}`)).body.suspended).toBe(true);
    expect((await h.put(`/job-definition/${encodeURIComponent(first)}/suspended`, { suspended: false })).status).toBe(204);
    await h.del(`/process-instance/${pi}`);
  });

  it('PUT /job-definition/suspended suspends the job definitions of a process definition or key, with their jobs on request', async () => {
    const pi = await start();
    const acme = await start('/process-definition/key/jobSuspensionTwoSteps/tenant-id/acme');
    const put = (body: object) => h.put('/job-definition/suspended', body);
    const suspendedDefinitions = async (id: string) => (await h.get(`/job-definition?suspended=true&processDefinitionId=${id}`)).body.length;

    expect((await put({ suspended: true, processDefinitionKey: 'jobSuspensionTwoSteps', processDefinitionTenantId: 'acme' })).status).toBe(204);
    expect([await suspendedDefinitions(definitionId), await suspendedDefinitions(tenantDefinitionId)]).toEqual([0, 2]);
    expect(await suspendedOf(pi, acme)).toEqual([false, false]);
    expect((await put({ suspended: true, processDefinitionId: definitionId, includeJobs: true })).status).toBe(204);
    expect([await suspendedDefinitions(definitionId), await suspendedDefinitions(tenantDefinitionId)]).toEqual([2, 2]);
    expect(await suspendedOf(pi, acme)).toEqual([true, false]);
    expect((await put({ suspended: false, processDefinitionKey: 'jobSuspensionTwoSteps', includeJobs: true })).status).toBe(204);
    expect([await suspendedDefinitions(definitionId), await suspendedDefinitions(tenantDefinitionId)]).toEqual([0, 0]);
    expect(await suspendedOf(pi, acme)).toEqual([false, false]);

    expect(await put({ suspended: true, jobDefinitionId: `${definitionId}:first:async-before` })).toMatchObject(
      bad('Either processDefinitionId or processDefinitionKey can be set to update the suspension state.'),
    );
    expect(await put({ suspended: true })).toMatchObject(bad('Either jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'));
    expect(await put({ suspended: true, processDefinitionId: definitionId, processDefinitionKey: 'jobSuspensionTwoSteps' })).toMatchObject(
      bad('Only one of jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.'),
    );
    expect(await put({ suspended: true, processDefinitionId: definitionId, executionDate: '2030-01-01T00:00:00.000+0000' })).toMatchObject(
      bad('A delayed suspension (executionDate) is not supported by CadenzaFlow yet'),
    );
    expect(await suspendedDefinitions(definitionId)).toBe(0);
    await h.del(`/process-instance/${pi}`);
    await h.del(`/process-instance/${acme}`);
  });
});
