import { EntitySchema } from 'typeorm';
import type { IncidentRow } from '../store.js';
import { column } from './columns.js';

/** An open incident; `configuration` names the failed job (or external task). */
export const IncidentEntity = new EntitySchema<IncidentRow>({
  name: 'Incident',
  tableName: 'cf_incident',
  columns: {
    id: column.id(),
    type: column.text('incident_type'),
    instanceId: column.text('instance_id', true),
    executionId: column.text('execution_id', true),
    rootInstanceId: column.text('root_instance_id', true),
    definitionId: column.text('definition_id', true),
    definitionKey: column.text('definition_key', true),
    activityId: column.text('activity_id', true),
    configuration: column.text('configuration', true),
    message: column.text('message', true),
    annotation: column.text('annotation', true),
    jobDefinitionId: column.text('job_definition_id', true),
    createTime: column.time('create_time'),
    tenantId: column.text('tenant_id', true),
  },
  indices: [
    { name: 'cf_idx_incident_instance', columns: ['instanceId'] },
    { name: 'cf_idx_incident_configuration', columns: ['configuration'] },
  ],
});
