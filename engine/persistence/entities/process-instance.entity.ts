import { EntitySchema } from 'typeorm';
import type { ProcessInstanceRow } from '../store.js';
import { column } from './columns.js';

/** The aggregate root: `doc` is the runtime state, `rev` its optimistic lock. */
export const ProcessInstanceEntity = new EntitySchema<ProcessInstanceRow>({
  name: 'ProcessInstance',
  tableName: 'cf_process_instance',
  columns: {
    id: column.id(),
    rev: column.int('rev'),
    definitionId: column.text('definition_id'),
    definitionKey: column.text('definition_key'),
    businessKey: column.text('business_key', true),
    tenantId: column.text('tenant_id', true),
    suspended: column.bool('suspended'),
    superInstanceId: column.text('super_instance_id', true),
    superExecutionId: column.text('super_execution_id', true),
    rootInstanceId: column.text('root_instance_id'),
    startTime: column.time('start_time'),
    startUserId: column.text('start_user_id', true),
    doc: column.text('doc'),
  },
  indices: [
    { name: 'cf_idx_procinst_definition', columns: ['definitionId'] },
    { name: 'cf_idx_procinst_key', columns: ['definitionKey'] },
    { name: 'cf_idx_procinst_business_key', columns: ['businessKey'], where: 'business_key IS NOT NULL' },
    { name: 'cf_idx_procinst_super', columns: ['superInstanceId'], where: 'super_instance_id IS NOT NULL' },
    { name: 'cf_idx_procinst_root', columns: ['rootInstanceId'] },
  ],
});
