import { EntitySchema } from 'typeorm';
import type { HistoricJobLogRow } from '../store.js';
import { column } from './columns.js';

/** Camunda's ACT_HI_JOB_LOG; `job_state` is 'created', 'failed', 'successful' or 'deleted'. */
export const HistoricJobLogEntity = new EntitySchema<HistoricJobLogRow>({
  name: 'HistoricJobLog',
  tableName: 'cf_hi_job_log',
  columns: {
    id: column.id(),
    timestamp: column.time('log_time'),
    jobId: column.text('job_id'),
    jobDueDate: column.time('job_due_date', true),
    jobRetries: column.int('job_retries'),
    // Camunda's job priorities are longs.
    jobPriority: column.long('job_priority'),
    jobExceptionMessage: column.text('exception_message', true),
    jobExceptionStacktrace: column.text('exception_stacktrace', true),
    jobDefinitionId: column.text('job_definition_id', true),
    jobDefinitionType: column.text('job_definition_type'),
    jobDefinitionConfiguration: column.text('job_definition_configuration', true),
    activityId: column.text('activity_id', true),
    failedActivityId: column.text('failed_activity_id', true),
    executionId: column.text('execution_id', true),
    instanceId: column.text('instance_id', true),
    rootInstanceId: column.text('root_instance_id', true),
    definitionId: column.text('definition_id', true),
    definitionKey: column.text('definition_key', true),
    deploymentId: column.text('deployment_id', true),
    tenantId: column.text('tenant_id', true),
    hostname: column.text('hostname'),
    state: column.text('job_state'),
    removalTime: column.time('removal_time', true),
  },
  indices: [
    { name: 'cf_idx_hi_job_log_instance', columns: ['instanceId'] },
    { name: 'cf_idx_hi_job_log_job', columns: ['jobId'] },
    { name: 'cf_idx_hi_job_log_time', columns: ['timestamp', 'id'] },
  ],
});
