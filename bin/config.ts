/**
 * Configuration: environment variables win over the optional JSON config file
 * (`CADENZAFLOW_CONFIG`, default ./cadenzaflow.config.json when present).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHistoryLevel, type HistoryLevel } from '../engine/index.js';

export interface Config {
  /** HTTP port of the gateway. Default 8080. */
  port: number;
  /** Host to bind. Default 127.0.0.1 (set 0.0.0.0 to listen on all interfaces). */
  host: string;
  /** Directory of the embedded store. Default ./data. */
  dataDir: string;
  /** postgres://… switches from the embedded store to PostgreSQL. */
  databaseUrl: string | null;
  /** PostgreSQL schema, default public. */
  databaseSchema: string | null;
  historyLevel: HistoryLevel;
  /** Folder whose BPMN files `start` deploys (duplicate-filtered). Default ./processes. */
  processesDir: string;
}

interface FileConfig {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  historyLevel?: string;
  processesDir?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = env['CADENZAFLOW_CONFIG'] ?? 'cadenzaflow.config.json';
  let file: FileConfig = {};
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as FileConfig;
    } catch (e) {
      throw new Error(`Config file ${resolve(path)} is not valid JSON: ${(e as Error).message}`);
    }
  } else if (env['CADENZAFLOW_CONFIG']) {
    throw new Error(`Config file ${resolve(path)} (CADENZAFLOW_CONFIG) does not exist`);
  }
  const portText = env['PORT'] ?? (file.port !== undefined ? String(file.port) : '8080');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${portText}'`);
  const databaseUrl = env['DATABASE_URL'] ?? file.databaseUrl ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`DATABASE_URL must start with postgres://, got '${databaseUrl}'`);
  return {
    port,
    host: env['HOST'] ?? file.host ?? '127.0.0.1',
    dataDir: env['DATA_DIR'] ?? file.dataDir ?? './data',
    databaseUrl,
    databaseSchema: env['DATABASE_SCHEMA'] ?? file.databaseSchema ?? null,
    historyLevel: parseHistoryLevel(env['HISTORY_LEVEL'] ?? file.historyLevel ?? 'full'),
    processesDir: env['PROCESSES_DIR'] ?? file.processesDir ?? './processes',
  };
}
