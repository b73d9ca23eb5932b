import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NotFoundError, type Engine, type JobFilter, type JobSuspensionSelector } from '../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible, type Access } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { JobFilterInput } from './job.filter.input.js';
import { Job, JobConnection, toJob } from './job.type.js';
import { JobDefinitionSuspensionInput, JobSuspensionInput, toSuspensionSelector } from './suspend-jobs.input.js';

const missing = (id: string) => `No job found with id '${id}'`;

/** OPERATE, and a job of a hidden tenant fails as a missing one does. */
async function operable(engine: Engine, access: Access, id: string, what: string): Promise<void> {
  access.require('OPERATE', what);
  hideOtherTenants(access, await engine.getJob(id), missing(id));
}

/** The job after a change; one that is gone (or never was) is NOT_FOUND. */
async function jobAfter(engine: Engine, id: string): Promise<Job> {
  const row = await engine.getJob(id);
  if (!row) throw new NotFoundError(missing(id));
  return toJob(row);
}

@Resolver(() => Job)
export class JobResolver {
  @Query(() => Job, { nullable: true, description: 'A job waiting for the job executor; null when there is none with this id.' })
  async job(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Job | null> {
    access.require('READ');
    const row = visible(access, await engine.getJob(id));
    return row ? toJob(row) : null;
  }

  @Query(() => JobConnection, { description: 'Jobs: async continuations, timers; soonest due first.' })
  jobs(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => JobFilterInput, { nullable: true }) filter: JobFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<Job>> {
    access.require('READ');
    const f: JobFilter = {};
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.activityId != null) f.activityId = filter.activityId;
    if (filter?.type != null) f.type = filter.type;
    if (filter?.hasRetries === true) f.withRetriesLeft = true;
    if (filter?.hasRetries === false) f.noRetriesLeft = true;
    if (filter?.withException === true) f.withException = true;
    if (filter?.withException === false) f.withoutException = true;
    if (filter?.suspended != null) f.suspended = filter.suspended;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findJobs(scoped, page, [{ by: 'dueDate' }, { by: 'id' }]),
      () => engine.countJobs(scoped),
      toJob,
    );
  }

  @Mutation(() => Job, { description: "Sets a job's retries; giving retries back to a job out of them resolves its failedJob incident." })
  async setJobRetries(@Arg('id', () => ID) id: string, @Arg('retries', () => Int) retries: number, @Ctx() { engine, access }: GatewayContext): Promise<Job> {
    await operable(engine, access, id, 'set job retries');
    await engine.setJobRetries(id, retries);
    return jobAfter(engine, id);
  }

  @Mutation(() => ID, { description: 'Runs a job now, due or not; a failure is recorded (retries, incident) and reported as the error. Answers the job id.' })
  async executeJob(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<string> {
    await operable(engine, access, id, 'execute a job');
    await engine.executeJob(id);
    return id;
  }

  @Mutation(() => Job, { description: 'Suspends a job: the job executor leaves it until it is activated.' })
  async suspendJob(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Job> {
    await operable(engine, access, id, 'suspend jobs');
    await engine.suspendJobs(scopeToTenants<JobSuspensionSelector>(access, { jobId: id }));
    return jobAfter(engine, id);
  }

  @Mutation(() => Job, { description: 'Activates a suspended job, also one of a suspended job definition or process instance.' })
  async activateJob(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Job> {
    await operable(engine, access, id, 'activate jobs');
    await engine.activateJobs(scopeToTenants<JobSuspensionSelector>(access, { jobId: id }));
    return jobAfter(engine, id);
  }

  @Mutation(() => Boolean, {
    description: "Suspends the selected jobs of the caller's tenants (Camunda's updateJobSuspensionState); a selection that matches nothing changes nothing. Answers true.",
  })
  async suspendJobs(@Arg('input', () => JobSuspensionInput) input: JobSuspensionInput, @Ctx() { engine, access }: GatewayContext): Promise<boolean> {
    access.require('OPERATE', 'suspend jobs');
    await engine.suspendJobs(scopeToTenants(access, toSuspensionSelector(input)));
    return true;
  }

  @Mutation(() => Boolean, { description: "Activates the selected jobs of the caller's tenants; a selection that matches nothing changes nothing. Answers true." })
  async activateJobs(@Arg('input', () => JobSuspensionInput) input: JobSuspensionInput, @Ctx() { engine, access }: GatewayContext): Promise<boolean> {
    access.require('OPERATE', 'activate jobs');
    await engine.activateJobs(scopeToTenants(access, toSuspensionSelector(input)));
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Suspends the selected job definitions of the caller's tenants (Camunda's updateJobDefinitionSuspensionState): jobs they create from now on start suspended; includeJobs suspends their existing jobs too. Answers true.",
  })
  async suspendJobDefinitions(@Arg('input', () => JobDefinitionSuspensionInput) input: JobDefinitionSuspensionInput, @Ctx() { engine, access }: GatewayContext): Promise<boolean> {
    access.require('OPERATE', 'suspend job definitions');
    await engine.suspendJobDefinitions(scopeToTenants(access, toSuspensionSelector(input)), true, { includeJobs: input.includeJobs === true });
    return true;
  }

  @Mutation(() => Boolean, { description: "Activates the selected job definitions of the caller's tenants; includeJobs activates their existing jobs too. Answers true." })
  async activateJobDefinitions(@Arg('input', () => JobDefinitionSuspensionInput) input: JobDefinitionSuspensionInput, @Ctx() { engine, access }: GatewayContext): Promise<boolean> {
    access.require('OPERATE', 'activate job definitions');
    await engine.activateJobDefinitions(scopeToTenants(access, toSuspensionSelector(input)), { includeJobs: input.includeJobs === true });
    return true;
  }
}
