import { EntitySchema } from 'typeorm';
import type { TaskRow } from '../store.js';
import { column } from './columns.js';

/** `candidateUsers`/`candidateGroups` live in cf_identity_link (see identity-link.entity.ts). */
export const TaskEntity = new EntitySchema<TaskRow>({
  name: 'Task',
  tableName: 'cf_task',
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
    formKey: column.text('form_key', true),
    createTime: column.time('create_time'),
    tenantId: column.text('tenant_id', true),
    suspended: column.bool('suspended'),
  },
  indices: [
    { name: 'cf_idx_task_instance', columns: ['instanceId'] },
    { name: 'cf_idx_task_assignee', columns: ['assignee'], where: 'assignee IS NOT NULL' },
    { name: 'cf_idx_task_create_time', columns: ['createTime'] },
    { name: 'cf_idx_task_definition_key', columns: ['taskDefinitionKey'] },
  ],
});
