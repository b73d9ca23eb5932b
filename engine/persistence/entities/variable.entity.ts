import { EntitySchema } from 'typeorm';
import { column, typedValueColumns } from './columns.js';

/** `VariableRow.value` is spread over the typed-value columns. */
export const VariableEntity = new EntitySchema({
  name: 'Variable',
  tableName: 'cf_variable',
  columns: {
    id: column.id(),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    activityInstanceId: column.text('activity_instance_id'),
    taskId: column.text('task_id', true),
    name: column.text('name'),
    ...typedValueColumns,
    definitionId: column.text('definition_id'),
    tenantId: column.text('tenant_id', true),
  },
  indices: [
    { name: 'cf_idx_variable_instance', columns: ['instanceId'] },
    { name: 'cf_idx_variable_name', columns: ['name'] },
    { name: 'cf_idx_variable_execution', columns: ['executionId'] },
    { name: 'cf_idx_variable_task', columns: ['taskId'], where: 'task_id IS NOT NULL' },
  ],
});
