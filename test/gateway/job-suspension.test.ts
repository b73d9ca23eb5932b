/**
 * Job and job definition suspension over GraphQL: the mutations hand the
 * selection to the engine, the job executor leaves suspended jobs alone, and
 * the usual rules hold — OPERATE to change anything, another tenant's job
 * answers as a missing one.
 */
import { beforeAll, expect, it } from 'vitest';
import { ALL_PERMISSIONS } from '../../schema/index.js';
import { graphqlSuite } from './graphql-harness.js';
import { allBut, bearer, DEPLOY, deployInput, securedSuite, testKey, type Headers } from './secured-harness.js';

const START = `mutation($key: String!) { startProcessInstance(input: { processDefinitionKey: $key }) { id } }`;
const JOBS_OF = `query($id: ID!) { processInstance(id: $id) { activeActivityIds jobs { id activityId suspended jobDefinitionId } } }`;
const SUSPEND_JOB = `mutation($id: ID!) { suspendJob(id: $id) { id suspended } }`;
const ACTIVATE_JOB = `mutation($id: ID!) { activateJob(id: $id) { id suspended } }`;
const SUSPEND_JOBS = `mutation($input: JobSuspensionInput!) { suspendJobs(input: $input) }`;
const ACTIVATE_JOBS = `mutation($input: JobSuspensionInput!) { activateJobs(input: $input) }`;
const SUSPEND_DEFINITIONS = `mutation($input: JobDefinitionSuspensionInput!) { suspendJobDefinitions(input: $input) }`;
const ACTIVATE_DEFINITIONS = `mutation($input: JobDefinitionSuspensionInput!) { activateJobDefinitions(input: $input) }`;

interface JobView {
  id: string;
  activityId: string;
  suspended: boolean;
  jobDefinitionId: string | null;
}

graphqlSuite('GraphQL job suspension', (h) => {
  const start = async (key: string): Promise<string> => {
    const started = await h.gql(START, { key });
    expect(started.errors).toBeUndefined();
    return started.data.startProcessInstance.id;
  };
  const instance = async (id: string): Promise<{ activeActivityIds: string[]; jobs: JobView[] }> => {
    const reply = await h.gql(JOBS_OF, { id });
    expect(reply.errors).toBeUndefined();
    return reply.data.processInstance;
  };

  beforeAll(async () => {
    expect((await h.deployFixtures('JobSuspension.asyncTask.bpmn', 'JobSuspension.twoSteps.bpmn')).errors).toBeUndefined();
  });

  it('suspendJob holds the job of an async service task: runDueJobs leaves it, and after activateJob it runs', async () => {
    const id = await start('jobSuspensionAsyncTask');
    const [job] = (await instance(id)).jobs;
    expect(job).toMatchObject({ activityId: 'work', suspended: false, jobDefinitionId: expect.any(String) });

    const suspended = await h.gql(SUSPEND_JOB, { id: job!.id });
    expect(suspended).toMatchObject({ data: { suspendJob: { id: job!.id, suspended: true } } });
    const listed = await h.gql(`query($id: ID!) { held: jobs(filter: { processInstanceId: $id, suspended: true }) { totalCount } active: jobs(filter: { processInstanceId: $id, suspended: false }) { totalCount } }`, { id });
    expect(listed.data).toEqual({ held: { totalCount: 1 }, active: { totalCount: 0 } });

    await h.engine().runDueJobs();
    expect(await instance(id)).toMatchObject({ activeActivityIds: ['work'], jobs: [{ id: job!.id, suspended: true }] });

    expect(await h.gql(ACTIVATE_JOB, { id: job!.id })).toMatchObject({ data: { activateJob: { id: job!.id, suspended: false } } });
    await h.engine().runDueJobs();
    expect(await instance(id)).toEqual({ activeActivityIds: ['review'], jobs: [] });
  });

  it('suspendJobDefinitions holds the jobs the definition creates from now on, with includeJobs also its existing ones, until activateJobDefinitions', async () => {
    const first = await start('jobSuspensionTwoSteps');
    const jobDefinitionId = (await instance(first)).jobs[0]!.jobDefinitionId;

    expect((await h.gql(SUSPEND_DEFINITIONS, { input: { jobDefinitionId } })).data).toEqual({ suspendJobDefinitions: true });
    const second = await start('jobSuspensionTwoSteps');
    expect((await instance(first)).jobs).toMatchObject([{ suspended: false }]);
    expect((await instance(second)).jobs).toMatchObject([{ jobDefinitionId, suspended: true }]);

    expect((await h.gql(SUSPEND_DEFINITIONS, { input: { jobDefinitionId, includeJobs: true } })).data).toEqual({ suspendJobDefinitions: true });
    await h.engine().runDueJobs();
    for (const id of [first, second]) expect(await instance(id)).toMatchObject({ activeActivityIds: ['first'], jobs: [{ activityId: 'first', suspended: true }] });

    expect((await h.gql(ACTIVATE_DEFINITIONS, { input: { jobDefinitionId, includeJobs: true } })).data).toEqual({ activateJobDefinitions: true });
    await h.engine().runDueJobs();
    for (const id of [first, second]) expect(await instance(id)).toEqual({ activeActivityIds: ['review'], jobs: [] });
  });

  it('suspendJobs and activateJobs select by process instance or key, and need exactly one selection', async () => {
    const id = await start('jobSuspensionAsyncTask');
    expect((await h.gql(SUSPEND_JOBS, { input: { processDefinitionKey: 'jobSuspensionAsyncTask' } })).data).toEqual({ suspendJobs: true });
    expect((await instance(id)).jobs).toMatchObject([{ suspended: true }]);
    expect((await h.gql(ACTIVATE_JOBS, { input: { processInstanceId: id } })).data).toEqual({ activateJobs: true });
    expect((await instance(id)).jobs).toMatchObject([{ suspended: false }]);

    for (const input of [{}, { processInstanceId: id, processDefinitionKey: 'jobSuspensionAsyncTask' }]) {
      const refused = await h.gql(SUSPEND_JOBS, { input });
      expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
      expect(refused.errors![0]!.message).toMatch(/^Exactly one of jobId, jobDefinitionId, processInstanceId, processDefinitionId, processDefinitionKey/);
    }
    const none = await h.gql(SUSPEND_DEFINITIONS, { input: { includeJobs: true } });
    expect(none.errors![0]!.message).toMatch(/^Exactly one of jobDefinitionId, processDefinitionId, processDefinitionKey/);
    expect((await instance(id)).jobs).toMatchObject([{ suspended: false }]);

    const missing = await h.gql(SUSPEND_JOB, { id: 'no-such-job' });
    expect(missing.errors).toEqual([expect.objectContaining({ message: "No job found with id 'no-such-job'", extensions: { code: 'NOT_FOUND' } })]);
  });
});

const admin = testKey('admin');
const noOperate = testKey('no-operate', allBut('OPERATE'));
const alpha = testKey('alpha', ALL_PERMISSIONS, { tenantIds: ['tenantA'] });
const beta = testKey('beta', ALL_PERMISSIONS, { tenantIds: ['tenantB'] });
const as = (key: { key: string }): Headers => bearer(key.key);

securedSuite(
  'GraphQL job suspension: permissions and tenants',
  () => ({ auth: { apiKeys: [admin, noOperate, alpha, beta] } }),
  (h) => {
    const jobs: Record<'A' | 'B', string> = { A: '', B: '' };
    const suspendedOf = async (id: string): Promise<boolean> => (await h.gql(`query($id: ID!) { job(id: $id) { suspended } }`, { id }, as(admin))).data.job.suspended;

    beforeAll(async () => {
      for (const [tenant, who] of [['A', alpha], ['B', beta]] as const) {
        expect((await h.gql(DEPLOY, deployInput(['JobSuspension.asyncTask.bpmn'], `tenant${tenant}`), as(admin))).errors).toBeUndefined();
        const started = await h.gql(START, { key: 'jobSuspensionAsyncTask' }, as(who));
        expect(started.errors).toBeUndefined();
        jobs[tenant] = (await h.gql(JOBS_OF, { id: started.data.startProcessInstance.id }, as(who))).data.processInstance.jobs[0].id;
      }
    });

    it('every suspension mutation is FORBIDDEN without OPERATE, and nothing changes', async () => {
      const calls: [string, Record<string, unknown>][] = [
        [SUSPEND_JOB, { id: jobs.A }],
        [ACTIVATE_JOB, { id: jobs.A }],
        [SUSPEND_JOBS, { input: { jobId: jobs.A } }],
        [ACTIVATE_JOBS, { input: { jobId: jobs.A } }],
        [SUSPEND_DEFINITIONS, { input: { processDefinitionKey: 'jobSuspensionAsyncTask', includeJobs: true } }],
        [ACTIVATE_DEFINITIONS, { input: { processDefinitionKey: 'jobSuspensionAsyncTask', includeJobs: true } }],
      ];
      for (const [query, variables] of calls) {
        const reply = await h.gql(query, variables, as(noOperate));
        expect({ query, code: reply.errors?.[0]?.extensions.code }).toEqual({ query, code: 'FORBIDDEN' });
        expect(reply.errors![0]!.message).toContain("'no-operate' lacks the OPERATE permission");
      }
      expect(await suspendedOf(jobs.A)).toBe(false);
    });

    it("another tenant's job answers as a missing one, and a selection changes only the caller's tenant's jobs", async () => {
      for (const query of [SUSPEND_JOB, ACTIVATE_JOB]) {
        const hidden = await h.gql(query, { id: jobs.B }, as(alpha));
        const missing = await h.gql(query, { id: 'no-such-job' }, as(alpha));
        expect({ ...hidden.errors?.[0], message: hidden.errors?.[0]?.message.replace(jobs.B, '<id>') }).toEqual({
          ...missing.errors?.[0],
          message: missing.errors?.[0]?.message.replace('no-such-job', '<id>'),
        });
        expect(hidden.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      }

      expect((await h.gql(SUSPEND_JOBS, { input: { jobId: jobs.B } }, as(alpha))).data).toEqual({ suspendJobs: true });
      expect((await h.gql(SUSPEND_DEFINITIONS, { input: { processDefinitionKey: 'jobSuspensionAsyncTask', includeJobs: true } }, as(alpha))).data).toEqual({ suspendJobDefinitions: true });
      expect(await suspendedOf(jobs.A)).toBe(true);
      expect(await suspendedOf(jobs.B)).toBe(false);

      expect((await h.gql(ACTIVATE_JOB, { id: jobs.A }, as(alpha))).data).toEqual({ activateJob: { id: jobs.A, suspended: false } });
    });
  },
);
