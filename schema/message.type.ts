import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CorrelationResultType {
  Execution = 'Execution',
  ProcessDefinition = 'ProcessDefinition',
}
registerEnumType(CorrelationResultType, { name: 'CorrelationResultType', description: 'Execution: a waiting instance continued; ProcessDefinition: a message start event started one.' });

@ObjectType()
export class CorrelationResult {
  @Field(() => CorrelationResultType)
  resultType!: CorrelationResultType;

  @Field(() => ID)
  processInstanceId!: string;

  @Field(() => Boolean, { description: 'The instance ended within the correlating transaction.' })
  ended!: boolean;
}

@ObjectType()
export class SignalResult {
  @Field(() => Int, { description: 'Waiting executions that received the signal.' })
  delivered!: number;

  @Field(() => Int, { description: 'Instances started by signal start events.' })
  started!: number;
}
