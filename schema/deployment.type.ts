import { Field, ID, ObjectType } from 'type-graphql';
import { ModelProblem } from './model-problem.type.js';
import { ProcessDefinition } from './process-definition.type.js';

@ObjectType()
export class Deployment {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Date)
  deploymentTime!: Date;

  @Field(() => Boolean, { description: 'True when filtered as a duplicate: nothing new was deployed and this is the earlier deployment.' })
  duplicate!: boolean;

  @Field(() => [ProcessDefinition], { description: 'The definitions this call deployed (empty for a duplicate).' })
  processDefinitions!: ProcessDefinition[];

  @Field(() => [ModelProblem], { description: 'Warnings found while validating (the deployment went ahead); errors fail with MODEL_INVALID and every problem in extensions.problems.' })
  warnings!: ModelProblem[];
}
