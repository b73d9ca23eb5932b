import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { hideOtherTenants } from './access.js';
import { toVariableMap, VariableInput } from './variable.input.js';
import { Variable, toVariables } from './variable.type.js';

async function checkExecution(ctx: GatewayContext, executionId: string): Promise<void> {
  const [row] = await ctx.engine.findExecutions({ id: executionId }, { maxResults: 1 });
  hideOtherTenants(ctx.access, row, `Execution with id '${executionId}' does not exist`);
}

@Resolver()
export class VariableResolver {
  @Mutation(() => [Variable], {
    description:
      "Sets variables as Camunda's setVariables does: an existing variable is updated in the scope that holds it, a new one goes on the process instance (or, with local, on the execution itself). Answers the variables visible from the execution afterwards.",
  })
  async setVariables(
    @Arg('executionId', () => ID, { description: "A process instance id (its root execution's id) or any execution's id." }) executionId: string,
    @Arg('variables', () => [VariableInput]) variables: VariableInput[],
    @Arg('local', () => Boolean, { nullable: true }) local: boolean | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Variable[]> {
    ctx.access.require('OPERATE', 'set variables');
    const values = toVariableMap(variables);
    await checkExecution(ctx, executionId);
    await ctx.engine.setVariables(executionId, values, { local: local ?? false });
    return toVariables(await ctx.engine.getVariables(executionId, local ?? false));
  }

  @Mutation(() => [Variable], { description: 'Removes variables (from the scope that holds each, or with local only from the execution itself); answers the variables visible afterwards.' })
  async removeVariables(
    @Arg('executionId', () => ID, { description: "A process instance id (its root execution's id) or any execution's id." }) executionId: string,
    @Arg('names', () => [String]) names: string[],
    @Arg('local', () => Boolean, { nullable: true }) local: boolean | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<Variable[]> {
    ctx.access.require('OPERATE', 'remove variables');
    await checkExecution(ctx, executionId);
    await ctx.engine.setVariables(executionId, {}, { local: local ?? false, remove: names });
    return toVariables(await ctx.engine.getVariables(executionId, local ?? false));
  }
}
