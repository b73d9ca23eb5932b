import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { ActivityEvent, IncidentEvent, VariableEvent } from './engine-event.type.js';
import type { ActivityEventFilter, ActivityEventPayload, IncidentEventFilter, IncidentEventPayload, VariableEventFilter, VariableEventPayload } from './topics.js';
import { toVariables } from './variable.type.js';

/** Subscribing reads: READ is checked once, tenants on every event. */
function subscriber(context: unknown): { ctx: GatewayContext; visible: (tenantId: string | null) => boolean } {
  const ctx = context as GatewayContext;
  ctx.access.require('READ');
  return { ctx, visible: (tenantId) => ctx.access.canSeeTenant(tenantId) };
}

@Resolver()
export class EngineEventResolver {
  @Subscription(() => ActivityEvent, {
    description: 'Activities started and ended in matching instances (processInstanceId or definitionKey required), after their command committed.',
    subscribe: ({ args, context }) => {
      const { ctx, visible } = subscriber(context);
      return ctx.topics.activityEvents(args as ActivityEventFilter, visible);
    },
  })
  activityEvents(
    @Root() event: ActivityEventPayload,
    @Arg('processInstanceId', () => ID, { nullable: true }) _processInstanceId: string | null,
    @Arg('definitionKey', () => String, { nullable: true }) _definitionKey: string | null,
    @Arg('activityId', () => String, { nullable: true }) _activityId: string | null,
  ): ActivityEvent {
    return event;
  }

  @Subscription(() => IncidentEvent, {
    description: 'Incidents created, resolved or deleted (of one instance or definition key, or all), after their command committed.',
    subscribe: ({ args, context }) => {
      const { ctx, visible } = subscriber(context);
      return ctx.topics.incidentEvents(args as IncidentEventFilter, visible);
    },
  })
  incidentEvents(
    @Root() event: IncidentEventPayload,
    @Arg('processInstanceId', () => ID, { nullable: true }) _processInstanceId: string | null,
    @Arg('definitionKey', () => String, { nullable: true }) _definitionKey: string | null,
  ): IncidentEvent {
    return event;
  }

  @Subscription(() => VariableEvent, {
    description: 'Variables of one instance created, updated or deleted, after their command committed.',
    subscribe: ({ args, context }) => {
      const { ctx, visible } = subscriber(context);
      return ctx.topics.variableEvents(args as VariableEventFilter, visible);
    },
  })
  variableEvents(
    @Root() event: VariableEventPayload,
    @Arg('processInstanceId', () => ID) _processInstanceId: string,
    @Arg('name', () => String, { nullable: true, description: 'Only this variable.' }) _name: string | null,
  ): VariableEvent {
    const [v] = event.value ? toVariables({ [event.name]: event.value }) : [];
    return {
      kind: event.kind,
      name: event.name,
      type: v?.type ?? null,
      value: v?.value ?? null,
      valueInfo: v?.valueInfo ?? null,
      executionId: event.executionId,
      taskId: event.taskId,
      processInstanceId: event.processInstanceId,
      time: event.time,
    };
  }
}
