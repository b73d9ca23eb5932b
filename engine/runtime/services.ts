/**
 * What the runtime needs from the engine around it, handed over explicitly
 * (collaborators arrive on the context, never from a global).
 */
import type { ConnectorServices } from '../connectors/registry.js';
import type { ExpressionManager } from '../expressions/index.js';
import type { MessageBuffering } from '../messages/buffer.js';
import type { HistoryLevel } from '../history/history-level.js';
import type { ProcessGraph } from '../model/graph.js';
import type { Mutation, ProcessDefinitionRow, Store } from '../persistence/store.js';
import type { ScriptRunner } from '../script/index.js';
import type { DelegateExecution, DelegateTask } from './delegate.js';

export interface Clock {
  now(): Date;
}

/**
 * A handler for `camunda:class` names and for beans referenced by
 * `camunda:delegateExpression` (JavaDelegate / ExecutionListener / TaskListener
 * in Camunda). `fields` holds the `camunda:field` injections, evaluated.
 */
export type ExecutionHandler = (execution: DelegateExecution, fields: Readonly<Record<string, unknown>>) => unknown;
export type TaskHandler = (task: DelegateTask, fields: Readonly<Record<string, unknown>>) => unknown;

export interface HandlerRegistry {
  /** `camunda:class` values and bean names. */
  handler(name: string): ExecutionHandler | undefined;
  /** Beans visible to expressions (`${orderService.check(execution)}`). */
  bean(name: string): unknown;
  hasBean(name: string): boolean;
}

export interface DeployedProcess {
  definition: ProcessDefinitionRow;
  graph: ProcessGraph;
}

export interface RuntimeServices {
  store: Store;
  /** Commits a command's mutations (through group commit). */
  commit(mutations: readonly Mutation[]): Promise<void>;
  clock: Clock;
  expressions: ExpressionManager;
  scripts: () => Promise<ScriptRunner>;
  handlers: HandlerRegistry;
  historyLevel: HistoryLevel;
  /** Resolves (and caches) a deployed definition with its compiled graph. */
  definition(id: string): Promise<DeployedProcess>;
  latestDefinition(key: string, tenantId: string | null): Promise<DeployedProcess | null>;
  definitionByVersion(key: string, version: number, tenantId: string | null): Promise<DeployedProcess | null>;
  definitionByVersionTag(key: string, tag: string, tenantId: string | null): Promise<DeployedProcess | null>;
  definitionInDeployment(key: string, deploymentId: string): Promise<DeployedProcess | null>;
  /** Resource text of a deployment (for `camunda:resource="deployment://..."` scripts). */
  resource(deploymentId: string, name: string): Promise<string | null>;
  newId(): string;
  /** Opt-in message buffering (EngineOptions.messageBuffering); absent: Camunda's behaviour, nothing is buffered. */
  messageBuffering?: MessageBuffering;
  /** Connectors for `camunda:connector`, with resilience, breakers and secrets. */
  connectors: ConnectorServices;
}
