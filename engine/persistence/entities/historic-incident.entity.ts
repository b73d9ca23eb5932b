import { EntitySchema } from 'typeorm';
import type { HistoricIncidentRow } from '../store.js';
import { column } from './columns.js';

/** Camunda's ACT_HI_INCIDENT; `incident_state` is 'open', 'resolved' or 'deleted'. */
export const HistoricIncidentEntity = new EntitySchema<HistoricIncidentRow>({
  name: 'HistoricIncident',
  tableName: 'cf_hi_incident',
  columns: {
    id: column.id(),
    type: column.text('incident_type'),
    instanceId: column.text('instance_id', true),
    executionId: column.text('execution_id', true),
    rootInstanceId: column.text('root_instance_id', true),
    definitionId: column.text('definition_id', true),
    definitionKey: column.text('definition_key', true),
    activityId: column.text('activity_id', true),
    failedActivityId: column.text('failed_activity_id', true),
    causeIncidentId: column.text('cause_incident_id', true),
    rootCauseIncidentId: column.text('root_cause_incident_id', true),
    configuration: column.text('configuration', true),
    historyConfiguration: column.text('history_configuration', true),
    message: column.text('message', true),
    annotation: column.text('annotation', true),
    jobDefinitionId: column.text('job_definition_id', true),
    createTime: column.time('create_time'),
    endTime: column.time('end_time', true),
    removalTime: column.time('removal_time', true),
    tenantId: column.text('tenant_id', true),
    state: column.text('incident_state'),
  },
  indices: [
    { name: 'cf_idx_hi_incident_instance', columns: ['instanceId'] },
    { name: 'cf_idx_hi_incident_definition_key', columns: ['definitionKey'] },
    { name: 'cf_idx_hi_incident_configuration', columns: ['configuration'] },
    { name: 'cf_idx_hi_incident_create_time', columns: ['createTime', 'id'] },
    { name: 'cf_idx_hi_incident_open', columns: ['createTime', 'id'], where: "incident_state = 'open'" },
  ],
});
