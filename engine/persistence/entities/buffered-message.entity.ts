import { EntitySchema } from 'typeorm';
import type { BufferedMessageRow } from '../store.js';
import { column } from './columns.js';

/** Messages kept for later subscriptions (opt-in message buffering); deleted when consumed or expired. */
export const BufferedMessageEntity = new EntitySchema<BufferedMessageRow>({
  name: 'BufferedMessage',
  tableName: 'cf_buffered_message',
  columns: {
    id: column.id(),
    rev: column.int('rev'),
    messageName: column.text('message_name'),
    businessKey: column.text('business_key', true),
    processInstanceId: column.text('process_instance_id', true),
    correlationKeys: column.text('correlation_keys', true),
    localCorrelationKeys: column.text('local_correlation_keys', true),
    variables: column.text('variables', true),
    variablesLocal: column.text('variables_local', true),
    tenantId: column.text('tenant_id', true),
    withoutTenantId: column.bool('without_tenant_id'),
    tenantIdIn: column.text('tenant_id_in', true),
    createTime: column.time('create_time'),
    expiresAt: column.time('expires_at'),
  },
  indices: [
    // A new subscription looks for the oldest live message of its name.
    { name: 'cf_idx_buffered_message_name', columns: ['messageName', 'createTime'] },
    { name: 'cf_idx_buffered_message_expiry', columns: ['expiresAt'] },
  ],
});
