#!/usr/bin/env node
/**
 * `cadenzaflow start | deploy <file…> | migrate | plugin new <name> | templates [folder]`
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Engine, ModelError, createStore, environmentSecrets, formatProblem, type ConnectorLogger } from '../engine/index.js';
import { createLogger, logEngineEvents } from '../gateway/logging.js';
import { describeAuth } from '../gateway/auth/index.js';
import { startServer } from '../gateway/server.js';
import { loadConfig, type Config } from './config.js';
import { BUILT_IN_PLUGIN, builtInPlugin } from '../connectors/index.js';
import { loadPlugins, PluginRuntime } from '../plugins/loader.js';
import type { Logger } from '../gateway/logging.js';

function storeConfig(c: Config): Parameters<typeof createStore>[0] {
  return c.databaseUrl ? { databaseUrl: c.databaseUrl, ...(c.databaseSchema ? { schema: c.databaseSchema } : {}) } : { dataDir: c.dataDir };
}

function connectorLogger(logger: Logger): ConnectorLogger {
  return {
    debug: (msg, fields) => logger.debug(fields ?? {}, msg),
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
  };
}

function secretsOf(c: Config) {
  if (!c.secretsFile) return environmentSecrets();
  let file: Record<string, string>;
  try {
    file = JSON.parse(readFileSync(c.secretsFile, 'utf8')) as Record<string, string>;
  } catch (e) {
    throw new Error(`SECRETS_FILE ${resolve(c.secretsFile)} cannot be read as JSON: ${(e as Error).message}`);
  }
  return environmentSecrets(process.env, file);
}

/**
 * The engine with the built-in connectors and the configured plugins
 * installed (connectors, functions, handlers, deploy hooks); their services
 * start with `plugins.start()`.
 */
async function openEngine(c: Config, logger: Logger): Promise<{ engine: Engine; plugins: PluginRuntime }> {
  const log = connectorLogger(logger);
  const { loaded, skipped } = await loadPlugins(c.plugins, { logger: log });
  for (const s of skipped) console.warn(`warning: optional plugin ${s.name} left out: ${s.reason}`);
  const engine = await Engine.create({ storeConfig: storeConfig(c), historyLevel: c.historyLevel, secrets: secretsOf(c), connectorLogger: log });
  const builtIn = { definition: builtInPlugin(), spec: { name: BUILT_IN_PLUGIN, config: c.connectors }, version: null };
  const plugins = new PluginRuntime(engine, [builtIn, ...loaded], log, c.publicUrl ?? `http://${c.host === '0.0.0.0' ? 'localhost' : c.host}:${c.port}`);
  try {
    plugins.install();
  } catch (e) {
    await engine.close();
    throw e;
  }
  for (const p of loaded) console.log(`Plugin ${p.definition.name}${p.version ? `@${p.version}` : ''} loaded`);
  return { engine, plugins };
}

function bpmnFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.bpmn(20\.xml)?$/i.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

async function deployFiles(engine: Engine, files: string[], name: string): Promise<void> {
  const result = await engine.deploy({
    name,
    source: 'cadenzaflow-cli',
    enableDuplicateFiltering: true,
    resources: files.map((f) => ({ name: basename(f), content: readFileSync(f, 'utf8') })),
  });
  for (const w of result.warnings) console.warn(`warning: ${formatProblem(w)}`);
  if (result.duplicate) console.log(`Deployment '${name}' unchanged (${files.length} resource(s)), kept ${result.deployment.id}`);
  else for (const d of result.processDefinitions) console.log(`Deployed ${d.key} version ${d.version} (${d.id})`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const store = await createStore({ ...storeConfig(config), migrate: false });
      await store.migrate();
      console.log(`Migrations applied (${config.databaseUrl ? 'PostgreSQL' : `embedded store in ${config.dataDir}`})`);
      await store.close();
      return 0;
    }
    case 'deploy': {
      if (args.length === 0) {
        console.error('usage: cadenzaflow deploy <file.bpmn>…');
        return 2;
      }
      const { engine } = await openEngine(config, createLogger({ level: config.logLevel }));
      try {
        await deployFiles(engine, args, args.length === 1 ? basename(args[0]!) : 'cli');
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'start':
    case undefined: {
      const logger = createLogger({ level: config.logLevel });
      const { engine, plugins } = await openEngine(config, logger);
      const files = bpmnFiles(config.processesDir);
      if (files.length) await deployFiles(engine, files, 'processes');
      engine.onJobExecutorFailure((e) => logger.error({ err: e }, 'job executor failure'));
      const stopEngineLog = logEngineEvents(engine, logger);
      engine.startJobExecutor();
      const server = await startServer({
        engine,
        port: config.port,
        host: config.host,
        logger,
        metrics: config.metrics,
        explorer: config.explorer,
        graphql: {
          federation: config.federation,
          limits: config.graphqlLimits,
          introspection: config.graphqlIntrospection ?? config.explorer,
          ...(config.graphqlOperationCache ? {} : { operationCache: false as const }),
          schemaExtensions: plugins.schemaExtensions(),
        },
        pluginRoutes: plugins.routes(),
        auth: config.auth,
        engineRest: { onInternalError: (e) => logger.error({ err: e }, 'engine-rest: internal error') },
      });
      const store = config.databaseUrl ? 'PostgreSQL' : `embedded store in ${config.dataDir}`;
      console.log(`CadenzaFlow is running on ${store}`);
      console.log(`  Camunda REST (Modeler deployment endpoint): ${server.url}/engine-rest`);
      console.log(`  GraphQL (queries, mutations, subscriptions over graphql-ws): ${server.url}/graphql${config.federation ? ' (Apollo Federation v2 subgraph)' : ''}`);
      if (server.explorerUrl) console.log(`  explorer (Altair, served locally): ${server.explorerUrl}`);
      console.log(`  health:  ${server.url}/health/live  ${server.url}/health/ready`);
      const security = describeAuth(config.auth);
      for (const line of security.lines) console.log(`  authentication: ${line}`);
      if (security.anonymousWarning) {
        console.warn(
          `\n!!! ${security.anonymousWarning}\n!!! Before exposing this node set AUTH_MODE=required and API_KEYS_FILE, BASIC_USERS_FILE, JWT_SECRET, JWKS_FILE or JWKS_URL (README: Security).\n`,
        );
      }
      if (config.metrics) console.log(`  metrics (Prometheus): ${server.url}/metrics`);
      await plugins.start();
      const stop = async (): Promise<void> => {
        stopEngineLog();
        await plugins.stop();
        await server.close();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return -1;
    }
    case 'plugin': {
      const [sub, name, dir] = args;
      if (sub !== 'new' || !name) {
        console.error('usage: cadenzaflow plugin new <package-name> [folder]');
        return 2;
      }
      const { scaffoldPlugin } = await import('../plugins/scaffold.js');
      const target = resolve(dir ?? basename(name));
      const files = scaffoldPlugin(target, name);
      console.log(`Created ${name} in ${target}:\n${files.map((f) => `  ${f}`).join('\n')}\nNext: cd ${target} && npm install && npm test`);
      return 0;
    }
    case 'templates': {
      // Element templates for every connector this node would have: built-in ones and the configured plugins'.
      const out = resolve(args[0] ?? 'element-templates');
      const { writeElementTemplates } = await import('../plugins/templates-cli.js');
      const written = await writeElementTemplates(out, config.plugins ?? []);
      console.log(`Wrote ${written.length} element template file(s) to ${out} (Camunda Modeler: put them in resources/element-templates):\n${written.map((f) => `  ${f}`).join('\n')}`);
      return 0;
    }
    default:
      console.error(`unknown command '${command}'\nusage: cadenzaflow start | deploy <file.bpmn>… | migrate | plugin new <name> | templates [folder]`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ModelError) {
      console.error(e.message);
      for (const p of e.problems) console.error(`  ${p.severity}: ${formatProblem(p)}`);
    } else console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
