import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { userIdOf } from './access.js';
import type { GatewayContext } from './context.js';
import { CorrelateMessageInput } from './correlate-message.input.js';
import { CorrelationResult, CorrelationResultType, SignalResult } from './message.type.js';
import { VariableInput, toVariableMap } from './variable.input.js';

@Resolver()
export class MessageResolver {
  @Mutation(() => [CorrelationResult])
  async correlateMessage(@Arg('input', () => CorrelateMessageInput) input: CorrelateMessageInput, @Ctx() { engine, access }: GatewayContext): Promise<CorrelationResult[]> {
    access.require('START', 'correlate messages');
    const results = await engine.correlateMessage({
      messageName: input.messageName,
      businessKey: input.businessKey ?? null,
      processInstanceId: input.processInstanceId ?? null,
      correlationKeys: toVariableMap(input.correlationKeys, 'input.correlationKeys'),
      processVariables: toVariableMap(input.processVariables, 'input.processVariables'),
      all: input.all ?? false,
      // Only the caller's tenants' executions and start events can receive it.
      tenantIdIn: access.tenantIds(),
      userId: userIdOf(access),
    });
    return results.map((r) => ({ resultType: r.resultType as CorrelationResultType, processInstanceId: r.processInstanceId, ended: r.ended }));
  }

  @Mutation(() => SignalResult)
  broadcastSignal(
    @Arg('name', () => String) name: string,
    @Arg('variables', () => [VariableInput], { nullable: true }) variables: VariableInput[] | null,
    @Ctx() { engine, access }: GatewayContext,
  ): Promise<SignalResult> {
    access.require('START', 'broadcast signals');
    return engine.broadcastSignal({ signalName: name, variables: toVariableMap(variables), tenantIdIn: access.tenantIds(), userId: userIdOf(access) });
  }
}
