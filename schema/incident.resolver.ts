import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NotFoundError, type Engine, type IncidentFilter, type IncidentRow } from '../engine/index.js';
import { hideOtherTenants, scopeToTenants, visible } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { IncidentFilterInput } from './incident.filter.input.js';
import { Incident, IncidentConnection, toIncident } from './incident.type.js';

const missing = (id: string) => `Cannot find an incident with id '${id}'`;

async function getIncident(engine: Engine, id: string): Promise<IncidentRow | null> {
  const [row] = await engine.findIncidents({ id }, { maxResults: 1 });
  return row ?? null;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => Incident, { nullable: true, description: 'An open incident; null when there is none with this id.' })
  async incident(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<Incident | null> {
    access.require('READ');
    const row = visible(access, await getIncident(engine, id));
    return row ? toIncident(row) : null;
  }

  @Query(() => IncidentConnection, { description: 'Open incidents, oldest first.' })
  incidents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => IncidentFilterInput, { nullable: true }) filter: IncidentFilterInput | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<Incident>> {
    access.require('READ');
    const f: IncidentFilter = {};
    if (filter?.processInstanceId != null) f.instanceId = filter.processInstanceId;
    if (filter?.processDefinitionKey != null) f.definitionKey = filter.processDefinitionKey;
    if (filter?.activityId != null) f.activityId = filter.activityId;
    if (filter?.type != null) f.type = filter.type;
    const scoped = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findIncidents(scoped, page),
      () => engine.countIncidents(scoped),
      toIncident,
    );
  }

  @Mutation(() => ID, {
    description: 'Resolves an incident; a failedJob incident as Camunda operators do it, by giving its job retries back (default 1) so it runs again. Answers the incident id.',
  })
  async resolveIncident(
    @Arg('id', () => ID) id: string,
    @Arg('retries', () => Int, { nullable: true, description: 'Retries a failedJob incident gives its job; default 1.' }) retries: number | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<string> {
    access.require('OPERATE', 'resolve incidents');
    hideOtherTenants(access, await getIncident(engine, id), missing(id));
    await engine.resolveIncident(id, retries != null ? { retries } : {});
    return id;
  }

  @Mutation(() => Incident, { description: "Sets or (with null) clears an incident's annotation." })
  async setIncidentAnnotation(
    @Arg('id', () => ID) id: string,
    @Arg('annotation', () => String, { nullable: true }) annotation: string | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<Incident> {
    access.require('OPERATE', 'annotate incidents');
    hideOtherTenants(access, await getIncident(engine, id), missing(id));
    await engine.setIncidentAnnotation(id, annotation);
    const row = await getIncident(engine, id);
    if (!row) throw new NotFoundError(missing(id));
    return toIncident(row);
  }
}
