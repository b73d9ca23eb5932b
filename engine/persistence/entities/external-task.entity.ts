import { EntitySchema } from 'typeorm';
import type { ExternalTaskRow } from '../store.js';
import { column } from './columns.js';

/**
 * External tasks waiting for workers. `fetchAndLock` reads them through a
 * partial index on the available ones per topic; the migration (0004) gives
 * it the claim's order (priority DESC), which an entity index cannot express.
 */
export const ExternalTaskEntity = new EntitySchema<ExternalTaskRow>({
  name: 'ExternalTask',
  tableName: 'cf_external_task',
  columns: {
    id: column.id(),
    topicName: column.text('topic_name'),
    workerId: column.text('worker_id', true),
    lockExpiration: column.time('lock_expiration', true),
    retries: column.int('retries', true),
    errorMessage: column.text('error_message', true),
    errorDetails: column.text('error_details', true),
    suspended: column.bool('suspended'),
    // Camunda's task priorities are longs.
    priority: column.long('priority'),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    rootInstanceId: column.text('root_instance_id'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    definitionVersionTag: column.text('definition_version_tag', true),
    activityId: column.text('activity_id'),
    activityInstanceId: column.text('activity_instance_id'),
    businessKey: column.text('business_key', true),
    tenantId: column.text('tenant_id', true),
    createTime: column.time('create_time'),
  },
  indices: [
    { name: 'cf_idx_external_task_fetch', columns: ['topicName', 'priority', 'createTime', 'id'], where: '(retries IS NULL OR retries > 0) AND NOT suspended' },
    { name: 'cf_idx_external_task_instance', columns: ['instanceId'] },
  ],
});
