import { EntitySchema } from 'typeorm';
import type { ProcessDefinitionRow } from '../store.js';
import { column } from './columns.js';

export const ProcessDefinitionEntity = new EntitySchema<ProcessDefinitionRow>({
  name: 'ProcessDefinition',
  tableName: 'cf_process_definition',
  columns: {
    id: column.id(),
    key: column.text('def_key'),
    version: column.int('version'),
    versionTag: column.text('version_tag', true),
    name: column.text('name', true),
    category: column.text('category', true),
    deploymentId: column.text('deployment_id'),
    resourceName: column.text('resource_name'),
    tenantId: column.text('tenant_id', true),
    historyTimeToLive: column.int('history_ttl', true),
    suspended: column.bool('suspended'),
    executable: column.bool('executable'),
    startableInTasklist: column.bool('startable_in_tasklist'),
  },
  indices: [
    { name: 'cf_idx_procdef_key_version', columns: ['key', 'version'] },
    { name: 'cf_idx_procdef_deployment', columns: ['deploymentId'] },
  ],
});
