import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'All given conditions must hold.' })
export class TaskFilterInput {
  @Field(() => String, { nullable: true })
  assignee?: string | null;

  @Field(() => String, { nullable: true, description: 'Tasks this group may claim (unassigned ones, as Camunda).' })
  candidateGroup?: string | null;

  @Field(() => String, { nullable: true, description: 'Tasks this user is a candidate user for (unassigned ones, as Camunda).' })
  candidateUser?: string | null;

  @Field(() => ID, { nullable: true })
  processInstanceId?: string | null;

  @Field(() => String, { nullable: true })
  taskDefinitionKey?: string | null;
}
