import { EntitySchema } from 'typeorm';
import type { HistoricActivityInstanceRow } from '../store.js';
import { column } from './columns.js';

export const HistoricActivityInstanceEntity = new EntitySchema<HistoricActivityInstanceRow>({
  name: 'HistoricActivityInstance',
  tableName: 'cf_hi_actinst',
  columns: {
    id: column.id(),
    parentActivityInstanceId: column.text('parent_activity_instance_id', true),
    activityId: column.text('activity_id'),
    activityName: column.text('activity_name', true),
    activityType: column.text('activity_type'),
    instanceId: column.text('instance_id'),
    executionId: column.text('execution_id'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    taskId: column.text('task_id', true),
    calledProcessInstanceId: column.text('called_process_instance_id', true),
    assignee: column.text('assignee', true),
    startTime: column.time('start_time'),
    endTime: column.time('end_time', true),
    durationMs: column.long('duration_ms', true),
    canceled: column.bool('canceled'),
    completeScope: column.bool('complete_scope'),
    sequenceCounter: column.long('sequence_counter'),
    tenantId: column.text('tenant_id', true),
    removalTime: column.time('removal_time', true),
  },
  // The hottest insert of all (several per command): keep its indexes few.
  // History cleanup removes child rows by instance id, not by their removal time.
  indices: [{ name: 'cf_idx_hi_actinst_instance', columns: ['instanceId'] }],
});
