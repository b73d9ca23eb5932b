/**
 * Loads plugins from the npm packages named in the configuration, checks
 * they were built for this plugin API, and runs them: registers their
 * connectors, functions and handlers on the engine, starts their services and
 * feeds their hooks. A plugin that cannot be loaded stops the node with a
 * message naming it — or, when configured optional, is left out with a
 * warning and the node starts without it.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectorLogger, DomainEvent, Engine } from '../engine/index.js';
import { toEngineConnector } from './define-connector.js';
import { PLUGIN_API_VERSION, type ActivityEvent, type ActivityListener, type EngineListener, type PluginDefinition, type PluginHost, type PluginRoute, type PluginService, type SchemaContribution } from './plugin.js';
import { sdk } from './sdk.js';

export interface PluginSpec {
  /** npm package name (or a path to a package folder). */
  name: string;
  /** The plugin's configuration block. */
  config?: Record<string, unknown>;
  /** Start without it when it cannot be loaded. Default false. */
  optional?: boolean;
}

export interface LoadedPlugin {
  readonly definition: PluginDefinition;
  readonly spec: PluginSpec;
  /** The package's version, from its package.json. */
  readonly version: string | null;
}

export class PluginLoadError extends Error {
  constructor(
    readonly plugin: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Plugin '${plugin}' was refused: ${message}`, options);
    this.name = 'PluginLoadError';
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  keywords?: string[];
  cadenzaflow?: { apiVersion?: number };
}

function packageDir(name: string, from: string): string {
  if (name.startsWith('.') || isAbsolute(name)) return resolve(from, name);
  const require = createRequire(join(from, 'package.json'));
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Packages whose `exports` hide package.json: walk node_modules like Node does.
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
    throw new Error(`package '${name}' is not installed (looked from ${from}); install it with npm install ${name}`);
  }
}

function entryOf(dir: string, pkg: PackageJson): string {
  const exp = pkg.exports;
  const pick = (x: unknown): string | null => {
    if (typeof x === 'string') return x;
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      return pick(o['.']) ?? pick(o['import']) ?? pick(o['node']) ?? pick(o['default']);
    }
    return null;
  };
  return join(dir, pick(exp) ?? pkg.main ?? 'index.js');
}

async function loadOne(spec: PluginSpec, from: string): Promise<LoadedPlugin> {
  let dir: string;
  let pkg: PackageJson;
  try {
    dir = packageDir(spec.name, from);
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch (e) {
    throw new PluginLoadError(spec.name, (e as Error).message, { cause: e });
  }
  const declared = pkg.cadenzaflow?.apiVersion;
  if (declared !== undefined && declared !== PLUGIN_API_VERSION) {
    throw new PluginLoadError(spec.name, `its package.json declares plugin API ${declared}; this CadenzaFlow implements plugin API ${PLUGIN_API_VERSION}`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entryOf(dir, pkg)).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginLoadError(spec.name, `its code failed to load: ${(e as Error).message}`, { cause: e });
  }
  let exported = mod['default'] ?? mod['plugin'];
  try {
    if (typeof exported === 'function') exported = await (exported as (s: typeof sdk) => unknown)(sdk);
  } catch (e) {
    throw new PluginLoadError(spec.name, `its factory threw: ${(e as Error).message}`, { cause: e });
  }
  if (!exported || typeof exported !== 'object' || typeof (exported as PluginDefinition).name !== 'string') {
    throw new PluginLoadError(spec.name, 'it exports no plugin (expected `export default definePlugin({...})` or a factory `(sdk) => sdk.definePlugin({...})`)');
  }
  const def = exported as PluginDefinition;
  if (def.apiVersion !== PLUGIN_API_VERSION) {
    throw new PluginLoadError(spec.name, `it was built for plugin API ${String(def.apiVersion)}; this CadenzaFlow implements plugin API ${PLUGIN_API_VERSION}`);
  }
  return { definition: def, spec, version: pkg.version ?? null };
}

export interface LoadResult {
  loaded: LoadedPlugin[];
  /** Optional plugins left out, with why. */
  skipped: { name: string; reason: string }[];
}

/** Loads the named plugins, resolving packages from `from` (default: the working directory). */
export async function loadPlugins(specs: readonly PluginSpec[], opts: { from?: string; logger?: ConnectorLogger } = {}): Promise<LoadResult> {
  const from = opts.from ?? process.cwd();
  const out: LoadResult = { loaded: [], skipped: [] };
  for (const spec of specs) {
    try {
      out.loaded.push(await loadOne(spec, from));
    } catch (e) {
      if (!spec.optional) throw e;
      out.skipped.push({ name: spec.name, reason: (e as Error).message });
      opts.logger?.warn('optional plugin left out', { plugin: spec.name, reason: (e as Error).message });
    }
  }
  return out;
}

/** Where a plugin's routes live: `/plugins/<name>` (a scoped name keeps its slash). */
export function routePrefix(pluginName: string): string {
  return `/plugins/${pluginName.split('/').map(encodeURIComponent).join('/')}`;
}

function activityEvent(e: Extract<DomainEvent, { type: 'activity.started' | 'activity.ended' }>): ActivityEvent {
  return {
    processInstanceId: e.instanceId,
    processDefinitionKey: e.definitionKey,
    businessKey: e.businessKey,
    tenantId: e.tenantId,
    activityId: e.activityId,
    activityInstanceId: e.activityInstanceId,
    activityType: e.activityType,
    time: e.time,
  };
}

/**
 * Plugins at work on one engine: `install()` before the node serves
 * (connectors, functions, handlers, deploy hooks), `start()` runs
 * engineWillStart and the services, `stop()` ends them in reverse order.
 */
export class PluginRuntime {
  private readonly stops: (() => void | Promise<void>)[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly activities = new Map<string, { plugin: string; listener: ActivityListener }[]>();

  constructor(
    private readonly engine: Engine,
    readonly plugins: readonly LoadedPlugin[],
    private readonly logger: ConnectorLogger,
    /** The gateway's external base URL, once known (routes' callback URLs derive from it). */
    public baseUrl: string | null = null,
  ) {}

  private host(p: LoadedPlugin): PluginHost {
    const routesUrl = this.baseUrl ? `${this.baseUrl.replace(/\/$/, '')}${routePrefix(p.definition.name)}` : null;
    return { engine: this.engine, logger: this.logger, config: p.spec.config ?? {}, routesUrl };
  }

  /** Every plugin's routes with their full path (`/plugins/<name><path>`). */
  routes(): (PluginRoute & { plugin: string; fullPath: string })[] {
    const out: (PluginRoute & { plugin: string; fullPath: string })[] = [];
    for (const p of this.plugins) {
      for (const r of p.definition.routes?.(this.host(p)) ?? []) {
        if (!r.path.startsWith('/')) throw new PluginLoadError(p.definition.name, `its route '${r.path}' must start with '/'`);
        out.push({ ...r, plugin: p.definition.name, fullPath: `${routePrefix(p.definition.name)}${r.path}` });
      }
    }
    return out;
  }

  /** Registers what the plugins contribute; a clash (a connector id taken twice) names both plugins. */
  install(): void {
    const owners = new Map<string, string>();
    for (const id of this.engine.connectors.ids()) owners.set(id, 'CadenzaFlow');
    for (const p of this.plugins) {
      const d = p.definition;
      for (const c of d.connectors ?? []) {
        const owner = owners.get(c.id);
        if (owner) throw new PluginLoadError(d.name, `its connector '${c.id}' is already provided by ${owner === 'CadenzaFlow' ? 'CadenzaFlow' : `plugin '${owner}'`}`);
        owners.set(c.id, d.name);
        this.engine.connectors.register(toEngineConnector(c));
      }
      for (const [name, fn] of Object.entries(d.expressionFunctions ?? {})) this.engine.registerFunction(name, fn);
      for (const [name, h] of Object.entries(d.handlers ?? {})) this.engine.registerHandler(name, h);
      const willDeploy = d.hooks?.processWillDeploy;
      if (willDeploy) this.engine.addDeployHook((input) => willDeploy(input));
    }
  }

  /** The plugins' GraphQL contributions, named after their plugin. */
  schemaExtensions(): (SchemaContribution & { name: string })[] {
    return this.plugins.filter((p) => p.definition.schema).map((p) => ({ name: p.definition.name, ...p.definition.schema! }));
  }

  async start(): Promise<void> {
    const hooked = this.plugins.filter((p) => p.definition.hooks?.activityWillStart || p.definition.hooks?.domainEvent);
    if (hooked.length) {
      this.stops.push(
        this.engine.subscribe((e) => {
          this.chain = this.chain.then(() => this.dispatch(e, hooked));
        }),
      );
    }
    for (const p of this.plugins) {
      const d = p.definition;
      const listener = (await d.hooks?.engineWillStart?.(this.host(p))) as EngineListener | void;
      if (listener?.engineWillStop) this.stops.push(() => listener.engineWillStop!());
      for (const service of d.services?.(this.host(p)) ?? []) {
        await this.startService(d.name, service, p);
      }
    }
  }

  private async startService(plugin: string, service: PluginService, p: LoadedPlugin): Promise<void> {
    try {
      await service.start(this.host(p));
    } catch (e) {
      throw new PluginLoadError(plugin, `its service '${service.name}' failed to start: ${(e as Error).message}`, { cause: e });
    }
    this.stops.push(() => service.stop());
  }

  /** Hooks see events one at a time, in commit order: an activity's end never overtakes its start. */
  private async dispatch(e: DomainEvent, hooked: readonly LoadedPlugin[]): Promise<void> {
    for (const p of hooked) {
      const hooks = p.definition.hooks!;
      await this.guard(p.definition.name, () => hooks.domainEvent?.(e));
    }
    if (e.type === 'activity.started') {
      for (const p of hooked) {
        const start = p.definition.hooks!.activityWillStart;
        if (!start) continue;
        await this.guard(p.definition.name, async () => {
          const l = await start(activityEvent(e));
          if (l?.activityEnded) {
            const list = this.activities.get(e.activityInstanceId) ?? [];
            list.push({ plugin: p.definition.name, listener: l });
            this.activities.set(e.activityInstanceId, list);
          }
        });
      }
    } else if (e.type === 'activity.ended') {
      const list = this.activities.get(e.activityInstanceId);
      if (!list) return;
      this.activities.delete(e.activityInstanceId);
      for (const { plugin, listener } of list) await this.guard(plugin, () => listener.activityEnded!({ ...activityEvent(e), canceled: e.canceled }));
    }
  }

  /** Resolves when every event so far reached the hooks (tests, orderly shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** A hook's failure is logged with its plugin and never reaches the engine. */
  private async guard(plugin: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.logger.error('plugin hook failed', { plugin, error: (err as Error).message });
    }
  }

  async stop(): Promise<void> {
    while (this.stops.length) {
      const stop = this.stops.pop()!;
      try {
        await stop();
      } catch (e) {
        this.logger.error('plugin failed to stop', { error: (e as Error).message });
      }
    }
  }
}
