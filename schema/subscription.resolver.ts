import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { InstanceChange, TaskEvent } from './subscription.type.js';
import type { InstanceChangeFilter, TaskEventFilter } from './topics.js';

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => InstanceChange, {
    description: 'Changes of matching instances (at least one of id, definitionKey, businessKey), one per committed command.',
    subscribe: ({ args, context }) => (context as GatewayContext).topics.instanceChanges(args as InstanceChangeFilter),
  })
  instanceChanged(
    @Root() change: InstanceChange,
    @Arg('id', () => ID, { nullable: true }) _id: string | null,
    @Arg('definitionKey', () => String, { nullable: true }) _definitionKey: string | null,
    @Arg('businessKey', () => String, { nullable: true }) _businessKey: string | null,
  ): InstanceChange {
    return change;
  }

  @Subscription(() => TaskEvent, {
    description: 'Tasks created, assigned, completed or deleted; all given filters must hold.',
    subscribe: ({ args, context }) => (context as GatewayContext).topics.taskEvents(args as TaskEventFilter),
  })
  taskEvents(
    @Root() event: TaskEvent,
    @Arg('assignee', () => String, { nullable: true }) _assignee: string | null,
    @Arg('candidateGroup', () => String, { nullable: true }) _candidateGroup: string | null,
  ): TaskEvent {
    return event;
  }
}
