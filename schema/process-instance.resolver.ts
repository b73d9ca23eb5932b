import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError, type Engine, type ProcessInstanceFilter } from '../engine/index.js';
import { ANONYMOUS_FULL_ACCESS, hideOtherTenants, latestVisibleDefinition, scopeToTenants, userIdOf, visible, type Access } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape, MAX_PAGE_SIZE } from './connection.js';
import { Incident, toIncident } from './incident.type.js';
import { Job, toJob } from './job.type.js';
import { ProcessDefinition, toProcessDefinition } from './process-definition.type.js';
import { ProcessInstanceFilterInput } from './process-instance.filter.input.js';
import { ProcessInstance, ProcessInstanceConnection, isRunning } from './process-instance.type.js';
import { StartProcessInstanceInput, toStartInstructions } from './start-process-instance.input.js';
import { Task, toTask } from './task.type.js';
import { Variable, toVariables } from './variable.type.js';
import { toEqualityConditions, toVariableMap } from './variable.input.js';

/** The instance as running (runtime) or, once ended, as history remembers it; null also when its tenant is hidden from `access`. */
export async function loadProcessInstance(engine: Engine, id: string, access: Access = ANONYMOUS_FULL_ACCESS): Promise<ProcessInstance | null> {
  const found = await engine.getProcessInstance(id);
  const running = visible(access, found);
  if (found && !running) return null;
  if (running) {
    return { id: running.id, businessKey: running.businessKey, definitionId: running.definitionId, definitionKey: running.definitionKey, state: running.suspended ? 'SUSPENDED' : 'ACTIVE' };
  }
  const historic = visible(access, (await engine.findHistoricProcessInstances({ id }, { maxResults: 1 }))[0]);
  if (!historic) return null;
  return { id: historic.id, businessKey: historic.businessKey, definitionId: historic.definitionId, definitionKey: historic.definitionKey, state: historic.state };
}

/** OPERATE, and an instance of a hidden tenant fails as the engine fails for a missing one. */
async function operable(engine: Engine, access: Access, id: string, what: string): Promise<void> {
  access.require('OPERATE', what);
  hideOtherTenants(access, await engine.getProcessInstance(id), `Process instance with id '${id}' does not exist`);
}

@Resolver(() => ProcessInstance)
export class ProcessInstanceResolver {
  @Query(() => ProcessInstance, { nullable: true, description: 'A running instance, or a finished one while history keeps it.' })
  processInstance(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<ProcessInstance | null> {
    access.require('READ', 'read process instances');
    return loadProcessInstance(engine, id, access);
  }

  @Query(() => ProcessInstanceConnection, { description: 'Running instances.' })
  processInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ProcessInstanceFilterInput, { nullable: true }) filter: ProcessInstanceFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<ProcessInstance>> {
    access.require('READ', 'read process instances');
    let f: ProcessInstanceFilter = {};
    if (filter?.definitionKey != null) f.definitionKey = filter.definitionKey;
    if (filter?.businessKey != null) f.businessKey = filter.businessKey;
    if (filter?.variables?.length) f.variables = toEqualityConditions(filter.variables, 'filter.variables');
    f = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findProcessInstances(f, page, [{ by: 'id' }]),
      () => engine.countProcessInstances(f),
      (row): ProcessInstance => ({ id: row.id, businessKey: row.businessKey, definitionId: row.definitionId, definitionKey: row.definitionKey, state: row.suspended ? 'SUSPENDED' : 'ACTIVE' }),
    );
  }

  @FieldResolver(() => ProcessDefinition)
  async definition(@Root() pi: ProcessInstance, @Ctx() { loaders }: GatewayContext): Promise<ProcessDefinition> {
    const row = await loaders.definition.load(pi.definitionId);
    if (!row) throw new Error(`Process definition ${pi.definitionId} of instance ${pi.id} is missing`);
    return toProcessDefinition(row);
  }

  @FieldResolver(() => [String], { description: 'Activities with a token now; empty once ended.' })
  activeActivityIds(@Root() pi: ProcessInstance, @Ctx() { loaders }: GatewayContext): Promise<string[]> | string[] {
    return isRunning(pi.state) ? loaders.activeActivityIds.load(pi.id) : [];
  }

  @FieldResolver(() => [Variable], { description: 'Process-instance-level variables; empty once ended.' })
  async variables(@Root() pi: ProcessInstance, @Ctx() { loaders, access }: GatewayContext): Promise<Variable[]> {
    access.require('READ', 'read variables');
    return isRunning(pi.state) ? toVariables(await loaders.variablesOfInstance.load(pi.id)) : [];
  }

  @FieldResolver(() => [Task], { description: `Open tasks of this instance (at most ${MAX_PAGE_SIZE}).` })
  async tasks(@Root() pi: ProcessInstance, @Ctx() { loaders, access }: GatewayContext): Promise<Task[]> {
    access.require('READ', 'read tasks');
    if (!isRunning(pi.state)) return [];
    return (await loaders.tasksOfInstance.load(pi.id)).map(toTask);
  }

  @FieldResolver(() => [Job], { description: `Jobs of this instance (at most ${MAX_PAGE_SIZE}).` })
  async jobs(@Root() pi: ProcessInstance, @Ctx() { loaders, access }: GatewayContext): Promise<Job[]> {
    access.require('READ', 'read jobs');
    return (await loaders.jobsOfInstance.load(pi.id)).map(toJob);
  }

  @FieldResolver(() => [Incident], { description: `Open incidents of this instance (at most ${MAX_PAGE_SIZE}).` })
  async incidents(@Root() pi: ProcessInstance, @Ctx() { loaders, access }: GatewayContext): Promise<Incident[]> {
    access.require('READ', 'read incidents');
    return (await loaders.incidentsOfInstance.load(pi.id)).map(toIncident);
  }

  @Mutation(() => ProcessInstance)
  async startProcessInstance(@Arg('input', () => StartProcessInstanceInput) input: StartProcessInstanceInput, @Ctx() { engine, access }: GatewayContext): Promise<ProcessInstance> {
    access.require('START', 'start process instances');
    let definitionId = input.processDefinitionId ?? null;
    if (definitionId !== null) {
      hideOtherTenants(access, await engine.getProcessDefinition(definitionId), `No process definition found with id '${definitionId}'`);
    } else if (input.processDefinitionKey != null && (input.tenantId != null || access.tenantIds() !== null)) {
      // By key within a tenant: which version that is depends on the caller's tenants.
      const row = await latestVisibleDefinition(engine, access, input.processDefinitionKey, input.tenantId);
      if (!row) throw new NotFoundError(`No processes deployed with key '${input.processDefinitionKey}'`);
      definitionId = row.id;
    }
    const started = await engine.startProcessInstance({
      ...(definitionId !== null ? { processDefinitionId: definitionId } : input.processDefinitionKey != null ? { processDefinitionKey: input.processDefinitionKey } : {}),
      businessKey: input.businessKey ?? null,
      userId: userIdOf(access),
      variables: toVariableMap(input.variables, 'input.variables'),
      ...(input.startBeforeActivityIds?.length ? { startBeforeActivityIds: input.startBeforeActivityIds } : {}),
      ...(input.startInstructions?.length ? { startInstructions: toStartInstructions(input.startInstructions, 'input.startInstructions') } : {}),
      // The engine refuses them without instructions and names the flag.
      ...(input.skipCustomListeners != null ? { skipCustomListeners: input.skipCustomListeners } : {}),
      ...(input.skipIoMappings != null ? { skipIoMappings: input.skipIoMappings } : {}),
    });
    if (started.ended && started.endState) return { id: started.id, businessKey: started.businessKey, definitionId: started.definitionId, definitionKey: started.definitionKey, state: started.endState };
    if (started.ended) return (await loadProcessInstance(engine, started.id)) ?? { id: started.id, businessKey: started.businessKey, definitionId: started.definitionId, definitionKey: started.definitionKey, state: 'COMPLETED' };
    return { id: started.id, businessKey: started.businessKey, definitionId: started.definitionId, definitionKey: started.definitionKey, state: started.suspended ? 'SUSPENDED' : 'ACTIVE' };
  }

  @Mutation(() => ID, { description: 'Cancels a running instance (Camunda: delete); answers its id.' })
  async cancelProcessInstance(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() { engine, access }: GatewayContext): Promise<string> {
    await operable(engine, access, id, 'cancel process instances');
    await engine.deleteProcessInstance(id, reason ?? null);
    return id;
  }

  @Mutation(() => ProcessInstance)
  async suspendProcessInstance(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<ProcessInstance | null> {
    await operable(engine, access, id, 'suspend process instances');
    await engine.suspendProcessInstance(id);
    return loadProcessInstance(engine, id, access);
  }

  @Mutation(() => ProcessInstance)
  async activateProcessInstance(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<ProcessInstance | null> {
    await operable(engine, access, id, 'activate process instances');
    await engine.activateProcessInstance(id);
    return loadProcessInstance(engine, id, access);
  }
}
