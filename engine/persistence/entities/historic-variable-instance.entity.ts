import { EntitySchema } from 'typeorm';
import { column, typedValueColumns } from './columns.js';

/** `HistoricVariableInstanceRow.value` is spread over the typed-value columns. */
export const HistoricVariableInstanceEntity = new EntitySchema({
  name: 'HistoricVariableInstance',
  tableName: 'cf_hi_varinst',
  columns: {
    id: column.id(),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    activityInstanceId: column.text('activity_instance_id'),
    taskId: column.text('task_id', true),
    name: column.text('name'),
    ...typedValueColumns,
    state: column.text('state'),
    createTime: column.time('create_time'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    tenantId: column.text('tenant_id', true),
    removalTime: column.time('removal_time', true),
  },
  indices: [
    { name: 'cf_idx_hi_varinst_instance', columns: ['instanceId'] },
    { name: 'cf_idx_hi_varinst_name', columns: ['name'] },
  ],
});
