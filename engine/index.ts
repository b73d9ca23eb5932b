/**
 * CadenzaFlow's engine: the one import path for the gateway, the CLI and plugins.
 */
export { Engine, type EngineOptions, type StartInput, type ProcessInstanceResult, type ProcessInstanceInfo } from './engine.js';
export type { CorrelateMessageInput, CorrelationResult, BroadcastSignalInput, MessagePublication } from './messages/correlation.js';
export type { BufferedMessage, TimeToLive } from './messages/buffer.js';
export type { EvaluateConditionsInput } from './runtime/conditional-start.js';
export type { JobExecutorOptions } from './jobs/job-executor.js';
export type { JobDefinitionQuery, JobDefinitionSuspensionSelector, JobSuspensionSelector } from './jobs/suspension.js';
export type { DeployInput, DeployResource, DeploymentResult } from './repository/deployer.js';
export * from './errors.js';
export type { DomainEvent, DomainEventType, DomainEventListener } from './runtime/events.js';
export type { ActivityInstance } from './runtime/activity-instance-tree.js';
export type { ModificationInstruction, ModificationInstructionType, ModificationOptions, StartInstruction, StartInstructionType } from './runtime/modification.js';
export type { JobDefinition, JobDefinitionFilter } from './repository/job-definitions.js';
export type { Clock, ExecutionHandler, TaskHandler } from './runtime/services.js';
export { DelegateExecution, DelegateTask } from './runtime/delegate.js';
export type { HistoryLevel } from './history/history-level.js';
export { parseHistoryLevel } from './history/history-level.js';
export type { TypedValue, ValueType, ValueInfo, VariableMap } from './variables/typed-value.js';
export { normalizeTypedValue, toTypedValue, typed } from './variables/convert.js';
export type * from './persistence/store.js';
export { createStore, type StoreConfig } from './persistence/index.js';
export type { ProcessGraph, FlowNode } from './model/graph.js';
export type { ConnectorCall, ConnectorLogger, ConnectorResult, EngineConnector, PendingOutcome, PendingTimeout } from './connectors/contract.js';
export { ConnectorRegistry, type ConnectorServices } from './connectors/registry.js';
export { DEFAULT_RESILIENCE, type ResiliencePolicy } from './connectors/resilience.js';
export { environmentSecrets, type SecretSource } from './connectors/secrets.js';
