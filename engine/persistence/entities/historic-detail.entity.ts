import { EntitySchema } from 'typeorm';
import { column, typedValueColumns } from './columns.js';

/** `HistoricDetailRow.value` is spread over the typed-value columns. */
export const HistoricDetailEntity = new EntitySchema({
  name: 'HistoricDetail',
  tableName: 'cf_hi_detail',
  columns: {
    id: column.id(),
    variableInstanceId: column.text('variable_instance_id'),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    activityInstanceId: column.text('activity_instance_id'),
    taskId: column.text('task_id', true),
    name: column.text('name'),
    ...typedValueColumns,
    time: column.time('time'),
    revision: column.int('revision'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    tenantId: column.text('tenant_id', true),
    removalTime: column.time('removal_time', true),
  },
  indices: [
    { name: 'cf_idx_hi_detail_instance', columns: ['instanceId'] },
    { name: 'cf_idx_hi_detail_variable', columns: ['variableInstanceId'] },
  ],
});
