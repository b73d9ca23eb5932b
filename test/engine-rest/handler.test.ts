import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/index.js';
import { createEngineRestHandler } from '../../gateway/engine-rest/index.js';
import { send } from './rest-harness.js';

describe('the /engine-rest handler', () => {
  const internalErrors: unknown[] = [];
  // Only what these requests touch; a failing store shows as a plain Error.
  const engine = {
    getDeployment: async () => {
      throw new Error('connection refused');
    },
  } as unknown as Engine;
  const handler = createEngineRestHandler(engine, { basePath: '/api/', maxBodyBytes: 64, onInternalError: (e) => internalErrors.push(e) });
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!handler(req, res)) {
        res.writeHead(418);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('leaves paths outside its base path to the server', async () => {
    expect((await send(`${base}/apis/version`, {})).status).toBe(418);
    expect((await send(`${base}/api/version`, {})).body).toEqual({ version: expect.stringMatching(/^7\./) });
  });

  it('answers an unexpected failure with 500 in Camunda\'s shape and reports it', async () => {
    const reply = await send(`${base}/api/deployment/x`, {});
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ type: 'ProcessEngineException', message: 'connection refused', code: 0 });
    expect(internalErrors).toHaveLength(1);
  });

  it('refuses a body larger than the limit with 413', async () => {
    const reply = await send(`${base}/api/process-instance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessKey: 'x'.repeat(100) }) });
    expect(reply.status).toBe(413);
    expect(reply.body.type).toBe('InvalidRequestException');
  });
});
