/**
 * `definePlugin`: what a plugin package exports. A plugin contributes
 * connectors, expression functions, `camunda:class` handlers, GraphQL schema
 * and long-running services (broker consumers, push bridges), and follows the
 * engine through hooks in Apollo Server's style: optional async functions, a
 * start hook may return the matching end hook.
 */
import type { DeployInput, DomainEvent, Engine, ExecutionHandler, ConnectorLogger } from '../engine/index.js';
import type { ConnectorDefinition } from './define-connector.js';

/** The plugin API this CadenzaFlow implements; a plugin names the one it was built for. */
export const PLUGIN_API_VERSION = 1;

/** What a plugin sees of the node it runs in. */
export interface PluginHost {
  readonly engine: Engine;
  readonly logger: ConnectorLogger;
  /** The plugin's own configuration block (`plugins: [{ name, config }]`), or `{}`. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Where this plugin's HTTP routes are reachable from outside, e.g.
   * `http://host:8080/plugins/my-plugin` (null when no server runs): for
   * callback URLs handed to bots and remote services.
   */
  readonly routesUrl: string | null;
}

/** An HTTP route a plugin serves on the gateway's port, under `/plugins/<plugin name>`. */
export interface PluginRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the plugin's prefix, starting with '/'; a trailing `/*` matches any rest. */
  readonly path: string;
  handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void | Promise<void>;
}

export interface ActivityEvent {
  readonly processInstanceId: string;
  readonly processDefinitionKey: string;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly activityId: string;
  readonly activityInstanceId: string;
  readonly activityType: string;
  readonly time: Date;
}

export interface ActivityListener {
  /** The activity instance ended (completed, or `canceled`). */
  activityEnded?(event: ActivityEvent & { readonly canceled: boolean }): void | Promise<void>;
}

export interface EngineListener {
  engineWillStop?(): void | Promise<void>;
}

export interface PluginHooks {
  /** Before the node serves; may return the stop hook. */
  engineWillStart?(host: PluginHost): void | EngineListener | Promise<void | EngineListener>;
  /** Before a deployment is parsed; throwing refuses the deployment with the plugin's message. */
  processWillDeploy?(deployment: Readonly<DeployInput>): void | Promise<void>;
  /**
   * An activity instance started. Activity hooks observe committed state:
   * they run after the command that started (or ended) the activity committed,
   * never for work that rolled back. May return the listener for its end.
   */
  activityWillStart?(event: ActivityEvent): void | ActivityListener | Promise<void | ActivityListener>;
  /** Every committed domain event, for plugins that need more than activities. */
  domainEvent?(event: DomainEvent): void;
}

/** A contribution to the GraphQL schema (types, `extend type ProcessInstance`, queries, mutations, subscriptions). */
export interface SchemaContribution {
  typeDefs: string;
  resolvers: Record<string, Record<string, unknown>>;
}

/** Something a plugin runs while the node runs: a broker consumer, a push bridge. */
export interface PluginService {
  readonly name: string;
  start(host: PluginHost): Promise<void>;
  stop(): Promise<void>;
}

export interface PluginDefinition {
  /** The npm package name, by convention. */
  name: string;
  /** The PLUGIN_API_VERSION the plugin was written for. */
  apiVersion: number;
  connectors?: ConnectorDefinition[];
  expressionFunctions?: Record<string, (...args: unknown[]) => unknown>;
  handlers?: Record<string, ExecutionHandler>;
  schema?: SchemaContribution;
  hooks?: PluginHooks;
  /** Built from the plugin's configuration when the node starts. */
  services?: (host: PluginHost) => PluginService[];
  /** HTTP routes (callbacks, webhooks) served on the gateway's port under `/plugins/<name>`. */
  routes?: (host: PluginHost) => PluginRoute[];
}

export function definePlugin(def: PluginDefinition): PluginDefinition {
  if (!def.name) throw new Error('A plugin needs a name');
  if (!Number.isInteger(def.apiVersion)) throw new Error(`Plugin '${def.name}' must declare apiVersion (this CadenzaFlow implements ${PLUGIN_API_VERSION})`);
  return def;
}
