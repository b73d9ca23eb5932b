import { beforeAll, expect, it } from 'vitest';
import { restSuite } from './rest-harness.js';

restSuite('/engine-rest job definitions', (h) => {
  let definitionId = '';
  beforeAll(async () => {
    expect((await h.deployFixtures('job-definitions', 'JobDefinition.kinds.bpmn')).status).toBe(200);
    definitionId = (await h.get('/process-definition/key/jobDefinitionKinds')).body.id;
  });

  it('lists one job definition per asynchronous continuation and timer of each activity', async () => {
    const res = await h.get(`/job-definition?processDefinitionId=${definitionId}&sortBy=activityId&sortOrder=asc`);
    expect(res.status).toBe(200);
    expect(res.body.map((d: any) => [d.activityId, d.jobType, d.jobConfiguration])).toEqual([
      ['both', 'async-continuation', 'async-before'],
      ['both', 'async-continuation', 'async-after'],
      ['each#multiInstanceBody', 'async-continuation', 'async-before'],
      ['reviewTimeout', 'timer-transition', 'DATE: 2030-01-01T00:00:00Z'],
      ['wait', 'timer-intermediate-transition', 'DURATION: PT5M'],
    ]);
    expect(res.body[0]).toEqual({
      id: `${definitionId}:both:async-before`,
      processDefinitionId: definitionId,
      processDefinitionKey: 'jobDefinitionKinds',
      activityId: 'both',
      jobType: 'async-continuation',
      jobConfiguration: 'async-before',
      overridingJobPriority: null,
      suspended: false,
      tenantId: null,
      deploymentId: expect.any(String),
    });
  });

  it('filters by key, activities, job type and configuration, counts, and gets one by id', async () => {
    const timerStart = (await h.get('/job-definition?processDefinitionKey=jobDefinitionTimerStart')).body;
    expect(timerStart.map((d: any) => [d.activityId, d.jobType, d.jobConfiguration])).toEqual([['daily', 'timer-start-event', 'CYCLE: R/PT24H']]);
    expect((await h.get(`/job-definition/count?processDefinitionId=${definitionId}&activityIdIn=both,wait`)).body).toEqual({ count: 3 });
    expect((await h.get(`/job-definition/count?processDefinitionId=${definitionId}&jobType=async-continuation&jobConfiguration=async-after`)).body).toEqual({ count: 1 });
    expect((await h.post('/job-definition/count', { processDefinitionKey: 'jobDefinitionKinds', jobType: 'timer-transition' })).body).toEqual({ count: 1 });
    const id = `${definitionId}:wait:timer-intermediate-transition`;
    expect((await h.get(`/job-definition/${encodeURIComponent(id)}`)).body).toMatchObject({ id, activityId: 'wait', jobConfiguration: 'DURATION: PT5M' });
    expect(await h.get('/job-definition/nope')).toMatchObject({ status: 404, body: { type: 'InvalidRequestException', message: 'Job Definition with id nope does not exist' } });
    expect((await h.get('/job-definition?withOverridingJobPriority=true')).status).toBe(400);
  });
});
