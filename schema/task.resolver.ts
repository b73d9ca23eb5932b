import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError, type Engine, type TaskFilter } from '../engine/index.js';
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

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, { nullable: true, description: 'An open task; null when there is none with this id.' })
  async task(@Arg('id', () => ID) id: string, @Ctx() { engine }: GatewayContext): Promise<Task | null> {
    const row = await engine.getTask(id);
    return row ? toTask(row) : null;
  }

  @Query(() => TaskConnection, { description: 'Open tasks, oldest first.' })
  tasks(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => TaskFilterInput, { nullable: true }) filter: TaskFilterInput | null,
    @Ctx() { engine }: GatewayContext,
  ): Promise<ConnectionShape<Task>> {
    const f: TaskFilter = {};
    if (filter?.assignee != null) f.assignee = filter.assignee;
    if (filter?.candidateGroup != null) f.candidateGroup = filter.candidateGroup;
    if (filter?.candidateUser != null) f.candidateUser = filter.candidateUser;
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.taskDefinitionKey != null) f.taskDefinitionKey = filter.taskDefinitionKey;
    return connectionOf(
      args,
      (page) => engine.findTasks(f, page, [{ by: 'created' }, { by: 'id' }]),
      () => engine.countTasks(f),
      toTask,
    );
  }

  @FieldResolver(() => [Variable], { description: 'The variables visible from the task (task-local and its scopes).' })
  async variables(@Root() task: Task, @Ctx() { engine }: GatewayContext): Promise<Variable[]> {
    return toVariables(await engine.getTaskVariables(task.id));
  }

  @Mutation(() => ID, { description: 'Completes the task; answers its id.' })
  async completeTask(
    @Arg('id', () => ID) id: string,
    @Arg('variables', () => [VariableInput], { nullable: true }) variables: VariableInput[] | null,
    @Ctx() { engine }: GatewayContext,
  ): Promise<string> {
    await engine.completeTask(id, toVariableMap(variables));
    return id;
  }

  @Mutation(() => Task)
  async claimTask(@Arg('id', () => ID) id: string, @Arg('userId', () => String) userId: string, @Ctx() { engine }: GatewayContext): Promise<Task> {
    await engine.claimTask(id, userId);
    return reload(engine, id);
  }

  @Mutation(() => Task)
  async unclaimTask(@Arg('id', () => ID) id: string, @Ctx() { engine }: GatewayContext): Promise<Task> {
    await engine.unclaimTask(id);
    return reload(engine, id);
  }

  @Mutation(() => Task, { description: 'Sets or (with null) clears the assignee, whoever holds the task.' })
  async setAssignee(@Arg('id', () => ID) id: string, @Arg('userId', () => String, { nullable: true }) userId: string | null, @Ctx() { engine }: GatewayContext): Promise<Task> {
    await engine.setAssignee(id, userId ?? null);
    return reload(engine, id);
  }
}
