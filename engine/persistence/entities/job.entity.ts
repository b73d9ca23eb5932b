import { EntitySchema } from 'typeorm';
import type { JobRow } from '../store.js';
import { column } from './columns.js';

/**
 * Jobs waiting for the job executor. Acquisition reads them through a partial
 * index on the executable ones; the migration (0003) gives its columns the
 * exact order of the claim (priority DESC, due date NULLS FIRST), which an
 * entity index cannot express.
 */
export const JobEntity = new EntitySchema<JobRow>({
  name: 'Job',
  tableName: 'cf_job',
  columns: {
    id: column.id(),
    type: column.text('job_type'),
    instanceId: column.text('instance_id', true),
    executionId: column.text('execution_id', true),
    rootInstanceId: column.text('root_instance_id', true),
    definitionId: column.text('definition_id', true),
    definitionKey: column.text('definition_key', true),
    activityId: column.text('activity_id', true),
    jobDefinitionId: column.text('job_definition_id', true),
    dueDate: column.time('due_date', true),
    retries: column.int('retries'),
    lockOwner: column.text('lock_owner', true),
    lockExpiration: column.time('lock_expiration', true),
    exceptionMessage: column.text('exception_message', true),
    exceptionDetails: column.text('exception_details', true),
    // Camunda's job priorities are longs.
    priority: column.long('priority'),
    exclusive: column.bool('exclusive'),
    suspended: column.bool('suspended'),
    handlerConfig: column.text('handler_config'),
    repeat: column.text('repeat', true),
    tenantId: column.text('tenant_id', true),
    createTime: column.time('create_time'),
  },
  indices: [
    { name: 'cf_idx_job_acquisition', columns: ['priority', 'dueDate', 'createTime', 'id'], where: 'retries > 0 AND NOT suspended' },
    { name: 'cf_idx_job_instance', columns: ['instanceId'] },
    { name: 'cf_idx_job_root_instance', columns: ['rootInstanceId'] },
  ],
});
