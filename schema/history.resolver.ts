/**
 * History queries: what instances, activities, tasks and variables did, and
 * the incidents they had, also after their instances ended (as far as the
 * history level records it).
 */
import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { HistoricActivityInstanceFilter, HistoricIncidentFilter, HistoricProcessInstanceFilter, HistoricTaskInstanceFilter, HistoricVariableInstanceFilter } from '../engine/index.js';
import { scopeToTenants } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import {
  HistoricActivityInstanceFilterInput,
  HistoricIncidentFilterInput,
  HistoricProcessInstanceFilterInput,
  HistoricTaskInstanceFilterInput,
  HistoricVariableInstanceFilterInput,
} from './history.filter.input.js';
import { HistoricActivityInstance, HistoricActivityInstanceConnection, toHistoricActivityInstance } from './historic-activity-instance.type.js';
import { HistoricIncident, HistoricIncidentConnection, toHistoricIncident } from './historic-incident.type.js';
import { HistoricProcessInstance, HistoricProcessInstanceConnection, toHistoricProcessInstance } from './historic-process-instance.type.js';
import { HistoricTaskInstance, HistoricTaskInstanceConnection, toHistoricTaskInstance } from './historic-task-instance.type.js';
import { HistoricVariableInstance, HistoricVariableInstanceConnection, toHistoricVariableInstance } from './historic-variable-instance.type.js';

/** `finished: true` keeps what ended, `false` what runs; the store's flags only restrict when set. */
function finishedFlags(finished: boolean | null | undefined): { finished?: true; unfinished?: true } {
  if (finished === true) return { finished: true };
  if (finished === false) return { unfinished: true };
  return {};
}

@Resolver()
export class HistoryResolver {
  @Query(() => HistoricProcessInstanceConnection, { description: 'Process instances as history records them, oldest first.' })
  historicProcessInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => HistoricProcessInstanceFilterInput, { nullable: true }) filter: HistoricProcessInstanceFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<HistoricProcessInstance>> {
    access.require('READ');
    const f: HistoricProcessInstanceFilter = { ...finishedFlags(filter?.finished) };
    if (filter?.processInstanceId != null) f.id = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.businessKey != null) f.businessKey = filter.businessKey;
    if (filter?.superProcessInstanceId != null) f.superInstanceId = filter.superProcessInstanceId;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findHistoricProcessInstances(scoped, page, [{ by: 'startTime' }, { by: 'id' }]),
      () => engine.countHistoricProcessInstances(scoped),
      toHistoricProcessInstance,
    );
  }

  @Query(() => HistoricActivityInstanceConnection, { description: 'Activities entered, in the order they started.' })
  historicActivityInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => HistoricActivityInstanceFilterInput, { nullable: true }) filter: HistoricActivityInstanceFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<HistoricActivityInstance>> {
    access.require('READ');
    const f: HistoricActivityInstanceFilter = { ...finishedFlags(filter?.finished) };
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.activityId != null) f.activityId = filter.activityId;
    if (filter?.activityType != null) f.activityType = filter.activityType;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findHistoricActivityInstances(scoped, page, [{ by: 'startTime' }, { by: 'sequenceCounter' }, { by: 'id' }]),
      () => engine.countHistoricActivityInstances(scoped),
      toHistoricActivityInstance,
    );
  }

  @Query(() => HistoricTaskInstanceConnection, { description: 'User tasks as history records them, oldest first.' })
  historicTaskInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => HistoricTaskInstanceFilterInput, { nullable: true }) filter: HistoricTaskInstanceFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<HistoricTaskInstance>> {
    access.require('READ');
    const f: HistoricTaskInstanceFilter = { ...finishedFlags(filter?.finished) };
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.taskDefinitionKey != null) f.taskDefinitionKey = filter.taskDefinitionKey;
    if (filter?.assignee != null) f.assignee = filter.assignee;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findHistoricTaskInstances(scoped, page, [{ by: 'startTime' }, { by: 'id' }]),
      () => engine.countHistoricTaskInstances(scoped),
      toHistoricTaskInstance,
    );
  }

  @Query(() => HistoricVariableInstanceConnection, { description: 'Variables as history records them (their last values), oldest first.' })
  historicVariableInstances(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => HistoricVariableInstanceFilterInput, { nullable: true }) filter: HistoricVariableInstanceFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<HistoricVariableInstance>> {
    access.require('READ');
    const f: HistoricVariableInstanceFilter = {};
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.name != null) f.name = filter.name;
    if (filter?.includeDeleted) f.includeDeleted = true;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findHistoricVariableInstances(scoped, page),
      () => engine.countHistoricVariableInstances(scoped),
      toHistoricVariableInstance,
    );
  }

  @Query(() => HistoricIncidentConnection, { description: 'Incidents as history records them (open, resolved and deleted), oldest first.' })
  historicIncidents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => HistoricIncidentFilterInput, { nullable: true }) filter: HistoricIncidentFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<HistoricIncident>> {
    access.require('READ');
    const f: HistoricIncidentFilter = {};
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.activityId != null) f.activityId = filter.activityId;
    if (filter?.type != null) f.type = filter.type;
    // The enum's values are the store's states, which name its state flags.
    if (filter?.state != null) f[filter.state] = true;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findHistoricIncidents(scoped, page, [{ by: 'createTime' }, { by: 'id' }]),
      () => engine.countHistoricIncidents(scoped),
      toHistoricIncident,
    );
  }
}
