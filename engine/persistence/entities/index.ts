import type { EntitySchema } from 'typeorm';
import type { TableName } from '../store.js';
import { BufferedMessageEntity } from './buffered-message.entity.js';
import { DeploymentEntity } from './deployment.entity.js';
import { EventSubscriptionEntity } from './event-subscription.entity.js';
import { ExecutionEntity } from './execution.entity.js';
import { ExternalTaskEntity } from './external-task.entity.js';
import { HistoricActivityInstanceEntity } from './historic-activity-instance.entity.js';
import { HistoricDetailEntity } from './historic-detail.entity.js';
import { HistoricIncidentEntity } from './historic-incident.entity.js';
import { HistoricJobLogEntity } from './historic-job-log.entity.js';
import { HistoricProcessInstanceEntity } from './historic-process-instance.entity.js';
import { HistoricTaskInstanceEntity } from './historic-task-instance.entity.js';
import { HistoricVariableInstanceEntity } from './historic-variable-instance.entity.js';
import { IdentityLinkEntity } from './identity-link.entity.js';
import { IncidentEntity } from './incident.entity.js';
import { JobEntity } from './job.entity.js';
import { ProcessDefinitionEntity } from './process-definition.entity.js';
import { ProcessInstanceEntity } from './process-instance.entity.js';
import { ResourceEntity } from './resource.entity.js';
import { TaskEntity } from './task.entity.js';
import { VariableEntity } from './variable.entity.js';

export { IdentityLinkEntity } from './identity-link.entity.js';

/** The entity behind each `Store` table name. */
export const tableEntities: { readonly [T in TableName]: EntitySchema<any> } = {
  deployment: DeploymentEntity,
  resource: ResourceEntity,
  processDefinition: ProcessDefinitionEntity,
  processInstance: ProcessInstanceEntity,
  execution: ExecutionEntity,
  task: TaskEntity,
  variable: VariableEntity,
  historicProcessInstance: HistoricProcessInstanceEntity,
  historicActivityInstance: HistoricActivityInstanceEntity,
  historicTaskInstance: HistoricTaskInstanceEntity,
  historicVariableInstance: HistoricVariableInstanceEntity,
  historicDetail: HistoricDetailEntity,
  historicIncident: HistoricIncidentEntity,
  historicJobLog: HistoricJobLogEntity,
  job: JobEntity,
  incident: IncidentEntity,
  eventSubscription: EventSubscriptionEntity,
  externalTask: ExternalTaskEntity,
  bufferedMessage: BufferedMessageEntity,
};

export const allEntities: EntitySchema<any>[] = [...Object.values(tableEntities), IdentityLinkEntity];
