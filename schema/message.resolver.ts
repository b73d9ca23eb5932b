import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { CorrelateMessageInput } from './correlate-message.input.js';
import { CorrelationResult, CorrelationResultType, SignalResult } from './message.type.js';
import { VariableInput, toVariableMap } from './variable.input.js';

@Resolver()
export class MessageResolver {
  @Mutation(() => [CorrelationResult])
  async correlateMessage(@Arg('input', () => CorrelateMessageInput) input: CorrelateMessageInput, @Ctx() { engine }: GatewayContext): Promise<CorrelationResult[]> {
    const results = await engine.correlateMessage({
      messageName: input.messageName,
      businessKey: input.businessKey ?? null,
      processInstanceId: input.processInstanceId ?? null,
      correlationKeys: toVariableMap(input.correlationKeys, 'input.correlationKeys'),
      processVariables: toVariableMap(input.processVariables, 'input.processVariables'),
      all: input.all ?? false,
    });
    return results.map((r) => ({ resultType: r.resultType as CorrelationResultType, processInstanceId: r.processInstanceId, ended: r.ended }));
  }

  @Mutation(() => SignalResult)
  broadcastSignal(
    @Arg('name', () => String) name: string,
    @Arg('variables', () => [VariableInput], { nullable: true }) variables: VariableInput[] | null,
    @Ctx() { engine }: GatewayContext,
  ): Promise<SignalResult> {
    return engine.broadcastSignal({ signalName: name, variables: toVariableMap(variables) });
  }
}
