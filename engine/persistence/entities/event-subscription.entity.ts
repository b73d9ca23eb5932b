import { EntitySchema } from 'typeorm';
import type { EventSubscriptionRow } from '../store.js';
import { column } from './columns.js';

/** Message, signal, conditional and compensation subscriptions; start-event ones have no instance. */
export const EventSubscriptionEntity = new EntitySchema<EventSubscriptionRow>({
  name: 'EventSubscription',
  tableName: 'cf_event_subscription',
  columns: {
    id: column.id(),
    type: column.text('event_type'),
    eventName: column.text('event_name', true),
    instanceId: column.text('instance_id', true),
    executionId: column.text('execution_id', true),
    activityId: column.text('activity_id', true),
    definitionId: column.text('definition_id', true),
    tenantId: column.text('tenant_id', true),
    createTime: column.time('create_time'),
  },
  indices: [
    // Correlating a message or signal looks subscriptions up by type and name.
    { name: 'cf_idx_event_subscription_name', columns: ['type', 'eventName'] },
    { name: 'cf_idx_event_subscription_instance', columns: ['instanceId'] },
    { name: 'cf_idx_event_subscription_execution', columns: ['executionId'] },
  ],
});
