import { EntitySchema } from 'typeorm';
import type { ExecutionRow } from '../store.js';
import { column } from './columns.js';

export const ExecutionEntity = new EntitySchema<ExecutionRow>({
  name: 'Execution',
  tableName: 'cf_execution',
  columns: {
    id: column.id(),
    instanceId: column.text('instance_id'),
    parentId: column.text('parent_id', true),
    activityId: column.text('activity_id', true),
    activityInstanceId: column.text('activity_instance_id', true),
    active: column.bool('active'),
    concurrent: column.bool('concurrent'),
    scope: column.bool('scope'),
    definitionId: column.text('definition_id'),
    tenantId: column.text('tenant_id', true),
    businessKey: column.text('business_key', true),
    suspended: column.bool('suspended'),
  },
  indices: [
    { name: 'cf_idx_execution_instance', columns: ['instanceId'] },
    { name: 'cf_idx_execution_activity', columns: ['activityId'] },
  ],
});
