#!/usr/bin/env node
/**
 * `cadenzaflow start | deploy <file…> | migrate | plugin new <name> | templates [folder]`
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Engine, ModelError, createStore, formatProblem } from '../engine/index.js';
import { createLogger, logEngineEvents } from '../gateway/logging.js';
import { describeAuth } from '../gateway/auth/index.js';
import { startServer } from '../gateway/server.js';
import { loadConfig, type Config } from './config.js';

function storeConfig(c: Config): Parameters<typeof createStore>[0] {
  return c.databaseUrl ? { databaseUrl: c.databaseUrl, ...(c.databaseSchema ? { schema: c.databaseSchema } : {}) } : { dataDir: c.dataDir };
}

async function openEngine(c: Config): Promise<Engine> {
  return Engine.create({ storeConfig: storeConfig(c), historyLevel: c.historyLevel });
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
      const engine = await openEngine(config);
      try {
        await deployFiles(engine, args, args.length === 1 ? basename(args[0]!) : 'cli');
      } finally {
        await engine.close();
      }
      return 0;
    }
    case 'start':
    case undefined: {
      const engine = await openEngine(config);
      const files = bpmnFiles(config.processesDir);
      if (files.length) await deployFiles(engine, files, 'processes');
      const logger = createLogger({ level: config.logLevel });
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
        },
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
      const stop = async (): Promise<void> => {
        stopEngineLog();
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
