import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Engine, ProcessInstanceFilter } from '../engine/index.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape, MAX_PAGE_SIZE } from './connection.js';
import { Incident, toIncident } from './incident.type.js';
import { Job, toJob } from './job.type.js';
import { ProcessDefinition, toProcessDefinition } from './process-definition.type.js';
import { ProcessInstanceFilterInput } from './process-instance.filter.input.js';
import { ProcessInstance, ProcessInstanceConnection, isRunning } from './process-instance.type.js';
import { StartProcessInstanceInput } from './start-process-instance.input.js';
import { Task, toTask } from './task.type.js';
import { Variable, toVariables } from './variable.type.js';
import { toEqualityConditions, toVariableMap } from './variable.input.js';

/** The instance as running (runtime) or, once ended, as history remembers it. */
export async function loadProcessInstance(engine: Engine, id: string): Promise<ProcessInstance | null> {
  const running = await engine.getProcessInstance(id);
  if (running) {
    return { id: running.id, businessKey: running.businessKey, definitionId: running.definitionId, definitionKey: running.definitionKey, state: running.suspended ? 'SUSPENDED' : 'ACTIVE' };
  }
  const [historic] = await engine.findHistoricProcessInstances({ id }, { maxResults: 1 });
  if (!historic) return null;
  return { id: historic.id, businessKey: historic.businessKey, definitionId: historic.definitionId, definitionKey: historic.definitionKey, state: historic.state };
}

@Resolver(() => ProcessInstance)
export class ProcessInstanceResolver {
  @Query(() => ProcessInstance, { nullable: true, description: 'A running instance, or a finished one while history keeps it.' })
  processInstance(@Arg('id', () => ID) id: string, @Ctx() { engine }: GatewayContext): Promise<ProcessInstance | null> {
    return loadProcessInstance(engine, id);
  }

  @Query(() => ProcessInstanceConnection, { description: 'Running instances.' })
  processInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ProcessInstanceFilterInput, { nullable: true }) filter: ProcessInstanceFilterInput | null,
    @Ctx() { engine }: GatewayContext,
  ): Promise<ConnectionShape<ProcessInstance>> {
    const f: ProcessInstanceFilter = {};
    if (filter?.definitionKey != null) f.definitionKey = filter.definitionKey;
    if (filter?.businessKey != null) f.businessKey = filter.businessKey;
    if (filter?.variables?.length) f.variables = toEqualityConditions(filter.variables, 'filter.variables');
    return connectionOf(
      args,
      (page) => engine.findProcessInstances(f, page, [{ by: 'id' }]),
      () => engine.countProcessInstances(f),
      (row): ProcessInstance => ({ id: row.id, businessKey: row.businessKey, definitionId: row.definitionId, definitionKey: row.definitionKey, state: row.suspended ? 'SUSPENDED' : 'ACTIVE' }),
    );
  }

  @FieldResolver(() => ProcessDefinition)
  async definition(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<ProcessDefinition> {
    const row = await engine.getProcessDefinition(pi.definitionId);
    if (!row) throw new Error(`Process definition ${pi.definitionId} of instance ${pi.id} is missing`);
    return toProcessDefinition(row);
  }

  @FieldResolver(() => [String], { description: 'Activities with a token now; empty once ended.' })
  activeActivityIds(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<string[]> | string[] {
    return isRunning(pi.state) ? engine.getActiveActivityIds(pi.id) : [];
  }

  @FieldResolver(() => [Variable], { description: 'Process-instance-level variables; empty once ended.' })
  async variables(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<Variable[]> {
    return isRunning(pi.state) ? toVariables(await engine.getVariables(pi.id)) : [];
  }

  @FieldResolver(() => [Task], { description: `Open tasks of this instance (at most ${MAX_PAGE_SIZE}).` })
  async tasks(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<Task[]> {
    if (!isRunning(pi.state)) return [];
    return (await engine.findTasks({ instanceId: pi.id }, { maxResults: MAX_PAGE_SIZE }, [{ by: 'created' }, { by: 'id' }])).map(toTask);
  }

  @FieldResolver(() => [Job], { description: `Jobs of this instance (at most ${MAX_PAGE_SIZE}).` })
  async jobs(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<Job[]> {
    return (await engine.findJobs({ instanceId: pi.id }, { maxResults: MAX_PAGE_SIZE })).map(toJob);
  }

  @FieldResolver(() => [Incident], { description: `Open incidents of this instance (at most ${MAX_PAGE_SIZE}).` })
  async incidents(@Root() pi: ProcessInstance, @Ctx() { engine }: GatewayContext): Promise<Incident[]> {
    return (await engine.findIncidents({ instanceId: pi.id }, { maxResults: MAX_PAGE_SIZE })).map(toIncident);
  }

  @Mutation(() => ProcessInstance)
  async startProcessInstance(@Arg('input', () => StartProcessInstanceInput) input: StartProcessInstanceInput, @Ctx() { engine }: GatewayContext): Promise<ProcessInstance> {
    const started = await engine.startProcessInstance({
      ...(input.processDefinitionKey != null ? { processDefinitionKey: input.processDefinitionKey } : {}),
      ...(input.processDefinitionId != null ? { processDefinitionId: input.processDefinitionId } : {}),
      businessKey: input.businessKey ?? null,
      variables: toVariableMap(input.variables, 'input.variables'),
    });
    if (started.ended) return (await loadProcessInstance(engine, started.id)) ?? { id: started.id, businessKey: started.businessKey, definitionId: started.definitionId, definitionKey: started.definitionKey, state: 'COMPLETED' };
    return { id: started.id, businessKey: started.businessKey, definitionId: started.definitionId, definitionKey: started.definitionKey, state: started.suspended ? 'SUSPENDED' : 'ACTIVE' };
  }

  @Mutation(() => ID, { description: 'Cancels a running instance (Camunda: delete); answers its id.' })
  async cancelProcessInstance(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() { engine }: GatewayContext): Promise<string> {
    await engine.deleteProcessInstance(id, reason ?? null);
    return id;
  }

  @Mutation(() => ProcessInstance)
  async suspendProcessInstance(@Arg('id', () => ID) id: string, @Ctx() { engine }: GatewayContext): Promise<ProcessInstance | null> {
    await engine.suspendProcessInstance(id);
    return loadProcessInstance(engine, id);
  }

  @Mutation(() => ProcessInstance)
  async activateProcessInstance(@Arg('id', () => ID) id: string, @Ctx() { engine }: GatewayContext): Promise<ProcessInstance | null> {
    await engine.activateProcessInstance(id);
    return loadProcessInstance(engine, id);
  }
}
