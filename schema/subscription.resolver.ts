import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { InstanceChange, TaskEvent } from './subscription.type.js';
import type { InstanceChangeFilter, TaskEventFilter } from './topics.js';

/** Subscribing is reading: READ, and only events of the subscriber's tenants. */
function readable({ access }: GatewayContext, what: string): (tenantId: string | null) => boolean {
  access.require('READ', what);
  return (tenantId) => access.canSeeTenant(tenantId);
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => InstanceChange, {
    description: 'Changes of matching instances (at least one of id, definitionKey, businessKey), one per committed command.',
    subscribe: ({ args, context }) => {
      const ctx = context as GatewayContext;
      return ctx.topics.instanceChanges(args as InstanceChangeFilter, readable(ctx, 'subscribe to instance changes'));
    },
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
    subscribe: ({ args, context }) => {
      const ctx = context as GatewayContext;
      return ctx.topics.taskEvents(args as TaskEventFilter, readable(ctx, 'subscribe to task events'));
    },
  })
  taskEvents(
    @Root() event: TaskEvent,
    @Arg('assignee', () => String, { nullable: true }) _assignee: string | null,
    @Arg('candidateGroup', () => String, { nullable: true }) _candidateGroup: string | null,
  ): TaskEvent {
    return event;
  }
}
