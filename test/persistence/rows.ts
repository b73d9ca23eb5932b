/** Complete rows with every field set, for the persistence tests; override what a test is about. */
import type {
  DeploymentRow,
  EventSubscriptionRow,
  ExecutionRow,
  HistoricActivityInstanceRow,
  HistoricDetailRow,
  HistoricProcessInstanceRow,
  HistoricTaskInstanceRow,
  HistoricVariableInstanceRow,
  IncidentRow,
  JobRow,
  Mutation,
  ProcessDefinitionRow,
  ProcessInstanceRow,
  ResourceRow,
  TableName,
  Tables,
  TaskRow,
  VariableRow,
} from '../../engine/persistence/store.js';
import type { TypedValue } from '../../engine/variables/typed-value.js';

export const T0 = new Date('2024-03-01T08:00:00.123Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export function insert<T extends TableName>(table: T, row: Tables[T]): Mutation {
  return { table, op: 'insert', row } as Mutation;
}

export function inserts<T extends TableName>(table: T, rows: Tables[T][]): Mutation[] {
  return rows.map((row) => insert(table, row));
}

export const deployment = (o: Partial<DeploymentRow> = {}): DeploymentRow => ({
  id: 'dep-1',
  name: 'invoice',
  source: 'process application',
  tenantId: null,
  deployTime: T0,
  ...o,
});

export const resource = (o: Partial<ResourceRow> = {}): ResourceRow => ({
  id: 'res-1',
  deploymentId: 'dep-1',
  name: 'invoice.bpmn',
  content: '<definitions id="d"/>',
  hash: 'abc123',
  ...o,
});

export const processDefinition = (o: Partial<ProcessDefinitionRow> = {}): ProcessDefinitionRow => ({
  id: 'invoice:1:aaa',
  key: 'invoice',
  version: 1,
  versionTag: null,
  name: 'Invoice',
  category: 'http://bpmn.io/schema/bpmn',
  deploymentId: 'dep-1',
  resourceName: 'invoice.bpmn',
  tenantId: null,
  historyTimeToLive: null,
  suspended: false,
  executable: true,
  startableInTasklist: true,
  ...o,
});

export const processInstance = (o: Partial<ProcessInstanceRow> = {}): ProcessInstanceRow => ({
  id: 'pi-1',
  rev: 1,
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  businessKey: null,
  tenantId: null,
  suspended: false,
  superInstanceId: null,
  superExecutionId: null,
  rootInstanceId: o.id ?? 'pi-1',
  startTime: T0,
  startUserId: null,
  doc: '{"executions":[]}',
  ...o,
});

export const execution = (o: Partial<ExecutionRow> = {}): ExecutionRow => ({
  id: 'ex-1',
  instanceId: 'pi-1',
  parentId: null,
  activityId: 'approve',
  activityInstanceId: 'approve:1',
  active: true,
  concurrent: false,
  scope: true,
  definitionId: 'invoice:1:aaa',
  tenantId: null,
  businessKey: null,
  suspended: false,
  ...o,
});

export const task = (o: Partial<TaskRow> = {}): TaskRow => ({
  id: 'task-1',
  instanceId: 'pi-1',
  executionId: 'ex-1',
  activityInstanceId: 'approve:1',
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  taskDefinitionKey: 'approve',
  name: 'Approve invoice',
  description: null,
  assignee: null,
  owner: null,
  priority: 50,
  dueDate: null,
  followUpDate: null,
  formKey: null,
  createTime: T0,
  tenantId: null,
  suspended: false,
  candidateUsers: [],
  candidateGroups: [],
  ...o,
});

export const variable = (o: Partial<VariableRow> = {}): VariableRow => ({
  id: 'var-1',
  instanceId: 'pi-1',
  executionId: 'pi-1',
  activityInstanceId: 'pi-1',
  taskId: null,
  name: 'amount',
  value: { type: 'Integer', value: 100 },
  definitionId: 'invoice:1:aaa',
  tenantId: null,
  ...o,
});

export const historicProcessInstance = (o: Partial<HistoricProcessInstanceRow> = {}): HistoricProcessInstanceRow => ({
  id: 'pi-1',
  businessKey: null,
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  definitionName: 'Invoice',
  definitionVersion: 1,
  startTime: T0,
  endTime: null,
  durationMs: null,
  startUserId: null,
  startActivityId: 'start',
  endActivityId: null,
  superInstanceId: null,
  rootInstanceId: o.id ?? 'pi-1',
  tenantId: null,
  state: 'ACTIVE',
  deleteReason: null,
  removalTime: null,
  ...o,
});

export const historicActivityInstance = (o: Partial<HistoricActivityInstanceRow> = {}): HistoricActivityInstanceRow => ({
  id: 'act-1',
  parentActivityInstanceId: 'pi-1',
  activityId: 'start',
  activityName: 'Start',
  activityType: 'startEvent',
  instanceId: 'pi-1',
  executionId: 'pi-1',
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  taskId: null,
  calledProcessInstanceId: null,
  assignee: null,
  startTime: T0,
  endTime: null,
  durationMs: null,
  canceled: false,
  completeScope: false,
  sequenceCounter: 1,
  tenantId: null,
  removalTime: null,
  ...o,
});

export const historicTaskInstance = (o: Partial<HistoricTaskInstanceRow> = {}): HistoricTaskInstanceRow => ({
  id: 'task-1',
  instanceId: 'pi-1',
  executionId: 'ex-1',
  activityInstanceId: 'approve:1',
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  taskDefinitionKey: 'approve',
  name: 'Approve invoice',
  description: null,
  assignee: null,
  owner: null,
  priority: 50,
  dueDate: null,
  followUpDate: null,
  startTime: T0,
  endTime: null,
  durationMs: null,
  deleteReason: null,
  tenantId: null,
  removalTime: null,
  ...o,
});

export const historicVariableInstance = (o: Partial<HistoricVariableInstanceRow> = {}): HistoricVariableInstanceRow => ({
  id: 'var-1',
  instanceId: 'pi-1',
  executionId: 'pi-1',
  activityInstanceId: 'pi-1',
  taskId: null,
  name: 'amount',
  value: { type: 'Integer', value: 100 },
  state: 'CREATED',
  createTime: T0,
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  tenantId: null,
  removalTime: null,
  ...o,
});

export const historicDetail = (o: Partial<HistoricDetailRow> = {}): HistoricDetailRow => ({
  id: 'detail-1',
  variableInstanceId: 'var-1',
  instanceId: 'pi-1',
  executionId: 'pi-1',
  activityInstanceId: 'pi-1',
  taskId: null,
  name: 'amount',
  value: { type: 'Integer', value: 100 },
  time: T0,
  revision: 0,
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  tenantId: null,
  removalTime: null,
  ...o,
});

export const job = (o: Partial<JobRow> = {}): JobRow => ({
  id: 'job-1',
  type: 'async-continuation',
  instanceId: 'pi-1',
  executionId: 'ex-1',
  rootInstanceId: 'pi-1',
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  activityId: 'approve',
  dueDate: null,
  retries: 3,
  lockOwner: null,
  lockExpiration: null,
  exceptionMessage: null,
  exceptionDetails: null,
  priority: 0,
  exclusive: false,
  suspended: false,
  handlerConfig: '{}',
  repeat: null,
  tenantId: null,
  createTime: T0,
  ...o,
});

export const incident = (o: Partial<IncidentRow> = {}): IncidentRow => ({
  id: 'inc-1',
  type: 'failedJob',
  instanceId: 'pi-1',
  executionId: 'ex-1',
  rootInstanceId: 'pi-1',
  definitionId: 'invoice:1:aaa',
  definitionKey: 'invoice',
  activityId: 'approve',
  configuration: 'job-1',
  message: null,
  annotation: null,
  createTime: T0,
  tenantId: null,
  ...o,
});

export const eventSubscription = (o: Partial<EventSubscriptionRow> = {}): EventSubscriptionRow => ({
  id: 'sub-1',
  type: 'message',
  eventName: 'invoiceReceived',
  instanceId: 'pi-1',
  executionId: 'ex-1',
  activityId: 'waitForInvoice',
  definitionId: 'invoice:1:aaa',
  tenantId: null,
  createTime: T0,
  ...o,
});

/** One value of every type, as the runtime holds them. */
export const typedValues: Record<string, TypedValue> = {
  string: { type: 'String', value: 'héllo "world" \\ 100%' },
  emptyString: { type: 'String', value: '' },
  integer: { type: 'Integer', value: 42 },
  long: { type: 'Long', value: 9007199254740991 },
  short: { type: 'Short', value: -7 },
  double: { type: 'Double', value: 3.14159 },
  booleanTrue: { type: 'Boolean', value: true },
  booleanFalse: { type: 'Boolean', value: false },
  date: { type: 'Date', value: new Date('2024-02-29T23:59:59.999Z') },
  null: { type: 'Null', value: null },
  json: { type: 'Json', value: { customer: 'Acme', lines: [1, 2.5, null, { nested: true }] } },
  object: {
    type: 'Object',
    value: { id: 7, tags: ['a', 'b'] },
    valueInfo: { objectTypeName: 'com.example.Order', serializationDataFormat: 'application/json' },
  },
  bytes: { type: 'Bytes', value: Buffer.from([0, 1, 2, 254, 255]) },
  nullString: { type: 'String', value: null },
};
