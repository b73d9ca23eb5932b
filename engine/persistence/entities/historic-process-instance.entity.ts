import { EntitySchema } from 'typeorm';
import type { HistoricProcessInstanceRow } from '../store.js';
import { column } from './columns.js';

export const HistoricProcessInstanceEntity = new EntitySchema<HistoricProcessInstanceRow>({
  name: 'HistoricProcessInstance',
  tableName: 'cf_hi_procinst',
  columns: {
    id: column.id(),
    businessKey: column.text('business_key', true),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    definitionName: column.text('definition_name', true),
    definitionVersion: column.int('definition_version'),
    startTime: column.time('start_time'),
    endTime: column.time('end_time', true),
    durationMs: column.long('duration_ms', true),
    startUserId: column.text('start_user_id', true),
    startActivityId: column.text('start_activity_id', true),
    endActivityId: column.text('end_activity_id', true),
    superInstanceId: column.text('super_instance_id', true),
    rootInstanceId: column.text('root_instance_id'),
    tenantId: column.text('tenant_id', true),
    state: column.text('state'),
    deleteReason: column.text('delete_reason', true),
    removalTime: column.time('removal_time', true),
  },
  indices: [
    { name: 'cf_idx_hi_procinst_definition', columns: ['definitionId'] },
    { name: 'cf_idx_hi_procinst_key', columns: ['definitionKey'] },
    { name: 'cf_idx_hi_procinst_business_key', columns: ['businessKey'], where: 'business_key IS NOT NULL' },
    { name: 'cf_idx_hi_procinst_super', columns: ['superInstanceId'], where: 'super_instance_id IS NOT NULL' },
    { name: 'cf_idx_hi_procinst_start', columns: ['startTime'] },
    { name: 'cf_idx_hi_procinst_removal', columns: ['removalTime'], where: 'removal_time IS NOT NULL' },
  ],
});
