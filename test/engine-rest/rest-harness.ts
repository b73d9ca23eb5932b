/**
 * `restSuite` runs an `engineSuite` (embedded store and PostgreSQL) with the
 * node's HTTP server listening on 127.0.0.1, port 0, and a small fetch client
 * for `/engine-rest`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { EngineOptions } from '../../engine/index.js';
import type { EngineRestOptions } from '../../gateway/engine-rest/index.js';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite, fixture, type Harness } from '../helpers/engine-harness.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: T;
  text: string;
}

export interface RestHarness extends Harness {
  /** Base URL of the server, e.g. `http://127.0.0.1:41234`. */
  url(): string;
  /** A request to `/engine-rest${path}`; a plain object body is sent as JSON. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  get<T = any>(path: string): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  put<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  del<T = any>(path: string): Promise<Reply<T>>;
  /** Deploys fixture files through `POST /deployment/create`. */
  deployFixtures(name: string, ...files: string[]): Promise<Reply>;
}

export async function send<T = any>(url: string, init: RequestInit): Promise<Reply<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
  return { status: res.status, headers: res.headers, text, body: (isJson && text ? JSON.parse(text) : null) as T };
}

export function restSuite(
  name: string,
  body: (h: RestHarness) => void,
  options: () => EngineRestOptions = () => ({}),
  engineOptions: () => Partial<EngineOptions> = () => ({}),
): void {
  engineSuite(name, (base) => {
    let server: RunningServer | null = null;
    beforeAll(async () => {
      server = await startServer({ engine: base.engine(), port: 0, host: '127.0.0.1', engineRest: options() });
    });
    afterAll(async () => {
      await server?.close();
    });
    const url = () => {
      if (!server) throw new Error('server not started');
      return server.url;
    };
    const call = <T>(method: string, path: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> => {
      const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
      if (payload instanceof FormData || typeof payload === 'string' || payload instanceof Uint8Array) init.body = payload as NonNullable<RequestInit['body']>;
      else if (payload !== undefined) {
        init.body = JSON.stringify(payload);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      return send<T>(`${url()}/engine-rest${path}`, init);
    };
    const h: RestHarness = Object.assign(Object.create(base) as Harness, {
      url,
      call,
      get: <T>(path: string) => call<T>('GET', path),
      post: <T>(path: string, payload?: unknown) => call<T>('POST', path, payload ?? {}),
      put: <T>(path: string, payload?: unknown) => call<T>('PUT', path, payload ?? {}),
      del: <T>(path: string) => call<T>('DELETE', path),
      deployFixtures: (deploymentName: string, ...files: string[]) => {
        const form = new FormData();
        form.append('deployment-name', deploymentName);
        for (const f of files) form.append(f, new Blob([fixture(f)], { type: 'application/octet-stream' }), f);
        return call('POST', '/deployment/create', form);
      },
    });
    body(h);
  }, engineOptions);
}

/** Camunda's date format in responses. */
export const CAMUNDA_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;
