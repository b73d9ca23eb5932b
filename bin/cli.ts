#!/usr/bin/env node
/**
 * `cadenzaflow start | deploy <file…> | migrate`
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Engine, ModelError, createStore, formatProblem } from '../engine/index.js';
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
      engine.startJobExecutor();
      const server = await startServer({ engine, port: config.port, host: config.host });
      const store = config.databaseUrl ? 'PostgreSQL' : `embedded store in ${config.dataDir}`;
      console.log(`CadenzaFlow is running on ${store}`);
      console.log(`  Camunda REST (Modeler deployment endpoint): ${server.url}/engine-rest`);
      console.log(`  GraphQL (queries, mutations, subscriptions over graphql-ws): ${server.url}/graphql`);
      console.log(`  health:  ${server.url}/health/live  ${server.url}/health/ready`);
      const stop = async (): Promise<void> => {
        await server.close();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return -1;
    }
    default:
      console.error(`unknown command '${command}'\nusage: cadenzaflow start | deploy <file.bpmn>… | migrate`);
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
