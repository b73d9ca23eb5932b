import { EntitySchema } from 'typeorm';
import type { ResourceRow } from '../store.js';
import { column } from './columns.js';

export const ResourceEntity = new EntitySchema<ResourceRow>({
  name: 'Resource',
  tableName: 'cf_resource',
  columns: {
    id: column.id(),
    deploymentId: column.text('deployment_id'),
    name: column.text('name'),
    content: column.text('content'),
    hash: column.text('hash'),
  },
  indices: [
    { name: 'cf_idx_resource_deployment', columns: ['deploymentId', 'name'] },
    { name: 'cf_idx_resource_name', columns: ['name'] },
  ],
});
