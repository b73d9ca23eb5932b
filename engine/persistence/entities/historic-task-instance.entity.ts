import { EntitySchema } from 'typeorm';
import type { HistoricTaskInstanceRow } from '../store.js';
import { column } from './columns.js';

export const HistoricTaskInstanceEntity = new EntitySchema<HistoricTaskInstanceRow>({
  name: 'HistoricTaskInstance',
  tableName: 'cf_hi_taskinst',
  columns: {
    id: column.id(),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    activityInstanceId: column.text('activity_instance_id'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    taskDefinitionKey: column.text('task_definition_key'),
    name: column.text('name', true),
    description: column.text('description', true),
    assignee: column.text('assignee', true),
    owner: column.text('owner', true),
    priority: column.int('priority'),
    dueDate: column.time('due_date', true),
    followUpDate: column.time('follow_up_date', true),
    startTime: column.time('start_time'),
    endTime: column.time('end_time', true),
    durationMs: column.long('duration_ms', true),
    deleteReason: column.text('delete_reason', true),
    tenantId: column.text('tenant_id', true),
    removalTime: column.time('removal_time', true),
  },
  indices: [
    { name: 'cf_idx_hi_taskinst_instance', columns: ['instanceId'] },
    { name: 'cf_idx_hi_taskinst_assignee', columns: ['assignee'], where: 'assignee IS NOT NULL' },
  ],
});
