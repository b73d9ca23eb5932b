import { EntitySchema } from 'typeorm';
import type { DeploymentRow } from '../store.js';
import { column } from './columns.js';

export const DeploymentEntity = new EntitySchema<DeploymentRow>({
  name: 'Deployment',
  tableName: 'cf_deployment',
  columns: {
    id: column.id(),
    name: column.text('name', true),
    source: column.text('source', true),
    tenantId: column.text('tenant_id', true),
    deployTime: column.time('deploy_time'),
  },
  indices: [
    { name: 'cf_idx_deployment_name', columns: ['name', 'tenantId'] },
    { name: 'cf_idx_deployment_time', columns: ['deployTime'] },
  ],
});
