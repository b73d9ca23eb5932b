import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ProcessDefinitionFilter } from '../engine/index.js';
import { scopeToTenants, tenantForNew, visible } from './access.js';
import type { GatewayContext } from './context.js';
import { ConnectionArgs, connectionOf, type ConnectionShape } from './connection.js';
import { DeployInput } from './deploy.input.js';
import { Deployment } from './deployment.type.js';
import { toModelProblem } from './model-problem.type.js';
import { ProcessDefinition, ProcessDefinitionConnection, toProcessDefinition } from './process-definition.type.js';

@Resolver(() => ProcessDefinition)
export class ProcessDefinitionResolver {
  @Query(() => ProcessDefinition, { nullable: true })
  async processDefinition(@Arg('id', () => ID) id: string, @Ctx() { engine, access }: GatewayContext): Promise<ProcessDefinition | null> {
    access.require('READ', 'read process definitions');
    const row = visible(access, await engine.getProcessDefinition(id));
    return row ? toProcessDefinition(row) : null;
  }

  @Query(() => ProcessDefinitionConnection)
  processDefinitions(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('key', () => String, { nullable: true }) key: string | null,
    @Arg('latestVersion', () => Boolean, { nullable: true, description: 'Only the highest version per key.' }) latestVersion: boolean | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<ConnectionShape<ProcessDefinition>> {
    access.require('READ', 'read process definitions');
    let f: ProcessDefinitionFilter = {};
    if (key != null) f.key = key;
    if (latestVersion) f.latestVersion = true;
    f = scopeToTenants(access, f);
    return connectionOf(
      args,
      (page) => engine.findProcessDefinitions(f, page, [{ by: 'key' }, { by: 'version' }, { by: 'id' }]),
      () => engine.countProcessDefinitions(f),
      toProcessDefinition,
    );
  }

  @Mutation(() => Deployment, { description: 'Deploys BPMN resources; an invalid model fails with MODEL_INVALID and every problem in extensions.problems.' })
  async deploy(@Arg('input', () => DeployInput) input: DeployInput, @Ctx() { engine, access }: GatewayContext): Promise<Deployment> {
    access.require('DEPLOY', 'deploy');
    const result = await engine.deploy({
      name: input.name ?? null,
      tenantId: tenantForNew(access, input.tenantId, 'deploy'),
      resources: input.resources.map((r) => ({ name: r.name, content: r.content })),
      enableDuplicateFiltering: input.enableDuplicateFiltering ?? false,
    });
    return {
      id: result.deployment.id,
      name: result.deployment.name,
      deploymentTime: result.deployment.deployTime,
      duplicate: result.duplicate,
      processDefinitions: result.processDefinitions.map(toProcessDefinition),
      warnings: result.warnings.map(toModelProblem),
    };
  }
}
