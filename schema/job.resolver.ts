import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NotFoundError, type JobFilter } from '../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { JobFilterInput } from './job.filter.input.js';
import { Job, JobConnection, toJob } from './job.type.js';

const missing = (id: string) => `No job found with id '${id}'`;

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
    access.require('OPERATE', 'set job retries');
    hideOtherTenants(access, await engine.getJob(id), missing(id));
    await engine.setJobRetries(id, retries);
    const row = await engine.getJob(id);
    if (!row) throw new NotFoundError(missing(id));
    return toJob(row);
  }

  @Mutation(() => ID, { description: 'Runs a job now, due or not; a failure is recorded (retries, incident) and reported as the error. Answers the job id.' })
  async executeJob(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<string> {
    access.require('OPERATE', 'execute a job');
    hideOtherTenants(access, await engine.getJob(id), missing(id));
    await engine.executeJob(id);
    return id;
  }
}
