import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { NotFoundError, type ExternalTaskFilter } from '../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible, type Access } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { ExternalTaskFilterInput } from './external-task.filter.input.js';
import { ExternalTaskBpmnErrorInput, ExternalTaskFailureInput, FetchAndLockInput } from './external-task.input.js';
import { ExternalTask, ExternalTaskConnection, LockedExternalTask, toExternalTask } from './external-task.type.js';
import { toVariableMap, VariableInput } from './variable.input.js';
import { toVariables } from './variable.type.js';

const missing = (id: string) => `External task with id ${id} does not exist`;

async function checkVisible(ctx: GatewayContext, id: string): Promise<void> {
  hideOtherTenants(ctx.access, await ctx.engine.externalTasks.getExternalTask(id), missing(id));
}

function topicTenants(access: Access, requested: string[] | null | undefined): { tenantIdIn?: string[] } {
  const scoped = scopeToTenants(access, requested == null ? {} : { tenantIdIn: requested });
  return scoped.tenantIdIn === undefined ? {} : { tenantIdIn: scoped.tenantIdIn };
}

@Resolver(() => ExternalTask)
export class ExternalTaskResolver {
  @Query(() => ExternalTask, { nullable: true })
  async externalTask(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<ExternalTask | null> {
    access.require('READ');
    const row = visible(access, await engine.externalTasks.getExternalTask(id));
    return row ? toExternalTask(row) : null;
  }

  @Query(() => ExternalTaskConnection, { description: 'External tasks, oldest first.' })
  externalTasks(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ExternalTaskFilterInput, { nullable: true }) filter: ExternalTaskFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<ExternalTask>> {
    access.require('READ');
    const service = engine.externalTasks;
    const f: ExternalTaskFilter = {};
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.activityId != null) f.activityId = filter.activityId;
    if (filter?.topicName != null) f.topicName = filter.topicName;
    if (filter?.workerId != null) f.workerId = filter.workerId;
    if (filter?.locked != null) Object.assign(f, service.lockFilter(filter.locked));
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => service.findExternalTasks(scoped, page, [{ by: 'createTime' }, { by: 'id' }]),
      () => service.countExternalTasks(scoped),
      toExternalTask,
    );
  }

  @Mutation(() => [LockedExternalTask], { description: "Locks available tasks of the topics for the worker (Camunda's fetchAndLock, with long polling)." })
  async fetchAndLockExternalTasks(@Arg('input', () => FetchAndLockInput) input: FetchAndLockInput, @Ctx() { engine, access }: GatewayContext): Promise<LockedExternalTask[]> {
    access.require('WORK_TASKS', 'fetch external tasks');
    const locked = await engine.externalTasks.fetchAndLock({
      workerId: input.workerId,
      maxTasks: input.maxTasks,
      usePriority: input.usePriority ?? false,
      ...(input.asyncResponseTimeout != null ? { asyncResponseTimeout: input.asyncResponseTimeout } : {}),
      topics: input.topics.map((t) => ({
        topicName: t.topicName,
        lockDuration: t.lockDuration,
        variables: t.variables ?? null,
        localVariables: t.localVariables ?? false,
        ...(t.businessKey != null ? { businessKey: t.businessKey } : {}),
        ...(t.processDefinitionKey != null ? { processDefinitionKey: t.processDefinitionKey } : {}),
        ...(t.processDefinitionId != null ? { processDefinitionId: t.processDefinitionId } : {}),
        ...topicTenants(access, t.tenantIdIn),
      })),
    });
    return locked.map((t) => ({ ...toExternalTask(t), variables: toVariables(t.variables) }));
  }

  @Mutation(() => ID, { description: 'Completes a task the worker holds; answers its id.' })
  async completeExternalTask(
    @Arg('id', () => ID) id: string,
    @Arg('workerId', () => String) workerId: string,
    @Arg('variables', () => [VariableInput], { nullable: true, description: 'Set on the process, as setVariable.' }) variables: VariableInput[] | null,
    @Arg('localVariables', () => [VariableInput], { nullable: true, description: "Set on the task's execution." }) localVariables: VariableInput[] | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<string> {
    ctx.access.require('WORK_TASKS', 'complete external tasks');
    await checkVisible(ctx, id);
    await ctx.engine.externalTasks.complete(id, workerId, toVariableMap(variables), toVariableMap(localVariables, 'localVariables'));
    return id;
  }

  @Mutation(() => ExternalTask, { description: 'Reports a failure: the task becomes available again after retryTimeout; with no retries left it raises an incident.' })
  async failExternalTask(@Arg('input', () => ExternalTaskFailureInput) input: ExternalTaskFailureInput, @Ctx() ctx: GatewayContext): Promise<ExternalTask> {
    ctx.access.require('WORK_TASKS', 'report external task failures');
    await checkVisible(ctx, input.id);
    await ctx.engine.externalTasks.handleFailure(input.id, input.workerId, {
      errorMessage: input.errorMessage ?? null,
      errorDetails: input.errorDetails ?? null,
      retries: input.retries,
      retryTimeout: input.retryTimeout ?? 0,
    });
    const row = await ctx.engine.externalTasks.getExternalTask(input.id);
    if (!row) throw new NotFoundError(missing(input.id));
    return toExternalTask(row);
  }

  @Mutation(() => ID, { description: 'Throws a BPMN error from the task (caught by error boundary events); answers the task id.' })
  async reportExternalTaskBpmnError(@Arg('input', () => ExternalTaskBpmnErrorInput) input: ExternalTaskBpmnErrorInput, @Ctx() ctx: GatewayContext): Promise<string> {
    ctx.access.require('WORK_TASKS', 'report BPMN errors of external tasks');
    await checkVisible(ctx, input.id);
    await ctx.engine.externalTasks.handleBpmnError(input.id, input.workerId, input.errorCode, input.errorMessage ?? null, toVariableMap(input.variables, 'input.variables'));
    return input.id;
  }
}
