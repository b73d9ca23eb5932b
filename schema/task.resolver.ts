import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError, type Engine, type TaskFilter } from '../engine/index.js';
import { hideOtherTenants, requireAny, requireTaskWork, scopeToTenants, userIdOf, visible, type Access } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { TaskFilterInput } from './task.filter.input.js';
import { Task, TaskConnection, toTask } from './task.type.js';
import { VariableInput, toVariableMap } from './variable.input.js';
import { Variable, toVariables } from './variable.type.js';

async function reload(engine: Engine, id: string): Promise<Task> {
  const row = await engine.getTask(id);
  // The task may be gone again (completed by someone else) between the command and this read.
  if (!row) throw new NotFoundError(`Cannot find task with id ${id}`);
  return toTask(row);
}

/** A task of a hidden tenant fails as a missing one; a missing one is the engine's to report. */
async function hidden(engine: Engine, access: Access, id: string) {
  const row = await engine.getTask(id);
  hideOtherTenants(access, row, `Cannot find task with id ${id}`);
  return row;
}

/** The task work rules (schema/access.ts) before a command on the task. */
async function workable(engine: Engine, access: Access, id: string, action: Parameters<typeof requireTaskWork>[2], claimFor?: string): Promise<void> {
  requireAny(access, ['WORK_TASKS', 'OPERATE'], `${action} tasks`);
  const row = await hidden(engine, access, id);
  if (row) requireTaskWork(access, row, action, claimFor);
}

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, { nullable: true, description: 'An open task; null when there is none with this id.' })
  async task(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Task | null> {
    access.require('READ', 'read tasks');
    const row = visible(access, await engine.getTask(id));
    return row ? toTask(row) : null;
  }

  @Query(() => TaskConnection, { description: 'Open tasks, oldest first.' })
  tasks(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => TaskFilterInput, { nullable: true }) filter: TaskFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<Task>> {
    access.require('READ', 'read tasks');
    let f: TaskFilter = {};
    if (filter?.assignee != null) f.assignee = filter.assignee;
    if (filter?.candidateGroup != null) f.candidateGroup = filter.candidateGroup;
    if (filter?.candidateUser != null) f.candidateUser = filter.candidateUser;
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.taskDefinitionKey != null) f.taskDefinitionKey = filter.taskDefinitionKey;
    f = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findTasks(f, page, [{ by: 'created' }, { by: 'id' }]),
      () => engine.countTasks(f),
      toTask,
    );
  }

  @FieldResolver(() => [Variable], { description: 'The variables visible from the task (task-local and its scopes).' })
  async variables(@Root() task: Task, @Ctx() { engine, access }: GatewayContext): Promise<Variable[]> {
    access.require('READ', 'read variables');
    return toVariables(await engine.getTaskVariables(task.id));
  }

  @Mutation(() => ID, { description: 'Completes the task; answers its id.' })
  async completeTask(
    @Arg('id', () => ID) id: string,
    @Arg('variables', () => [VariableInput], { nullable: true }) variables: VariableInput[] | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<string> {
    await workable(engine, access, id, 'complete');
    await engine.completeTask(id, toVariableMap(variables), { userId: userIdOf(access) });
    return id;
  }

  @Mutation(() => Task)
  async claimTask(@Arg('id', () => ID) id: string, @Arg('userId', () => String) userId: string, @Ctx() { engine, access }: GatewayContext): Promise<Task> {
    await workable(engine, access, id, 'claim', userId);
    await engine.claimTask(id, userId);
    return reload(engine, id);
  }

  @Mutation(() => Task)
  async unclaimTask(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Task> {
    await workable(engine, access, id, 'unclaim');
    await engine.unclaimTask(id);
    return reload(engine, id);
  }

  @Mutation(() => Task, { description: 'Sets or (with null) clears the assignee, whoever holds the task.' })
  async setAssignee(@Arg('id', () => ID) id: string, @Arg('userId', () => String, { nullable: true }) userId: string | null, @Ctx() { engine, access }: GatewayContext): Promise<Task> {
    access.require('OPERATE', 'set the assignee of tasks');
    await hidden(engine, access, id);
    await engine.setAssignee(id, userId ?? null);
    return reload(engine, id);
  }
}
