import { Field, ID, ObjectType } from 'type-graphql';
import type { ActivityInstance as EngineActivityInstance } from '../engine/index.js';

@ObjectType({ description: "One node of Camunda's runtime activity instance tree: the process instance at the root, scopes (subprocesses, multi-instance bodies) as inner nodes." })
export class ActivityInstance {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  parentActivityInstanceId!: string | null;

  @Field(() => String, { description: 'The BPMN element id (the definition id at the root, `<id>#multiInstanceBody` for a multi-instance body).' })
  activityId!: string;

  @Field(() => String, { nullable: true })
  activityName!: string | null;

  @Field(() => String, { description: "Camunda's type name: processDefinition, userTask, subProcess, multiInstanceBody, …" })
  activityType!: string;

  @Field(() => [ID])
  executionIds!: string[];

  @Field(() => [ActivityInstance])
  childActivityInstances!: ActivityInstance[];
}

export function toActivityInstance(ai: EngineActivityInstance): ActivityInstance {
  return {
    id: ai.id,
    parentActivityInstanceId: ai.parentActivityInstanceId,
    activityId: ai.activityId,
    activityName: ai.activityName,
    activityType: ai.activityType,
    executionIds: [...ai.executionIds],
    childActivityInstances: ai.childActivityInstances.map(toActivityInstance),
  };
}
