import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, logEngineEvents, type Logger } from '../../gateway/logging.js';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite } from '../helpers/engine-harness.js';
import { eventually } from './graphql-harness.js';

type Line = Record<string, any>;

engineSuite('Structured logs', (h) => {
  const written: string[] = [];
  let logger: Logger;
  let server: RunningServer;
  let stopEngineLog: () => void;

  beforeAll(async () => {
    logger = createLogger({ level: 'debug', destination: { write: (s: string) => void written.push(s) } });
    stopEngineLog = logEngineEvents(h.engine(), logger);
    const broken = { name: 'broken-plugin', typeDefs: 'extend type Query { broken: Int }', resolvers: { Query: { broken: () => { throw new Error('lost the database at row 7'); } } } };
    server = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', logger, graphql: { schemaExtensions: [broken] } });
  });
  afterAll(async () => {
    stopEngineLog?.();
    await server?.close();
  });

  const lines = (): Line[] => written.map((s) => JSON.parse(s) as Line);

  it('every line is one JSON object, and a request is logged with method, path, status and duration but not its query string', async () => {
    const res = await fetch(`${server.url}/engine-rest/task?access_token=tok-in-query-4711`, { headers: { authorization: 'Basic c2VjcmV0LXBhc3N3b3Jk' } });
    expect(res.status).toBe(200);
    await eventually(() => lines().some((l) => l['msg'] === 'request' && l['path'] === '/engine-rest/task'), 5000, 'the request line');
    const line = lines().find((l) => l['path'] === '/engine-rest/task')!;
    expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/engine-rest/task', status: 200, service: 'cadenzaflow' });
    expect(typeof line['durationMs']).toBe('number');
    expect(typeof line['time']).toBe('string');
    const all = written.join('');
    expect(all).not.toContain('tok-in-query-4711');
    expect(all).not.toContain('c2VjcmV0LXBhc3N3b3Jk');
    expect(written.every((s) => s.endsWith('\n') && s.indexOf('\n') === s.length - 1)).toBe(true);
  });

  it('health probes log at debug, everything else at info', async () => {
    await fetch(`${server.url}/health/live`);
    await eventually(() => lines().some((l) => l['path'] === '/health/live'), 5000, 'the probe line');
    expect(lines().find((l) => l['path'] === '/health/live')!['level']).toBe('debug');
  });

  it('engine events are logged at debug with instance ids and variable names, never variable values', async () => {
    await h.deploy('Gateway.approval.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval', variables: { creditCard: '4111-2222-3333-4444', amount: 987654 } });
    const mine = lines().filter((l) => l['instanceId'] === pi.id);
    expect(mine.find((l) => l['event'] === 'instance.started')).toMatchObject({ level: 'debug', definitionKey: 'gatewayApproval' });
    expect(mine.filter((l) => l['event'] === 'variable.created').map((l) => l['variable']).sort()).toEqual(['amount', 'creditCard']);
    expect(mine.find((l) => l['event'] === 'task.created')).toMatchObject({ level: 'debug', taskDefinitionKey: 'approve' });
    const all = written.join('');
    expect(all).not.toContain('4111-2222-3333-4444');
    expect(all).not.toContain('987654');
  });

  it('job failures and the incident they open are logged at warn with the job and instance ids', async () => {
    await h.deploy('Gateway.asyncScript.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayAsyncScript', variables: { fail: true } });
    const [job] = await h.engine().findJobs({ instanceId: pi.id });
    await h.engine().runDueJobs();
    const failures = lines().filter((l) => l['event'] === 'job.failed' && l['instanceId'] === pi.id);
    expect(failures.map((l) => [l['level'], l['jobId'], l['retries']])).toEqual([
      ['warn', job!.id, 2],
      ['warn', job!.id, 1],
      ['warn', job!.id, 0],
    ]);
    expect(failures[0]!['error']).toContain('work failed on purpose');
    const [incident] = await h.engine().findIncidents({ instanceId: pi.id });
    expect(lines().find((l) => l['event'] === 'incident.created' && l['instanceId'] === pi.id)).toMatchObject({
      level: 'warn',
      incidentId: incident!.id,
      incidentType: 'failedJob',
      configuration: job!.id,
      activityId: 'work',
    });
  });

  it('a GraphQL error answered as INTERNAL is logged at error with its cause; a NOT_FOUND is not', async () => {
    const post = (query: string) => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.json());
    const internal = (await post('query Broken { broken }')) as { errors: { message: string; extensions: { code: string } }[] };
    expect(internal.errors[0]!.extensions.code).toBe('INTERNAL');
    const notFound = (await post('mutation { completeTask(id: "no-such-task") }')) as { errors: { extensions: { code: string } }[] };
    expect(notFound.errors[0]!.extensions.code).toBe('NOT_FOUND');
    const errors = lines().filter((l) => l['msg'] === 'graphql: internal error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ level: 'error', operationName: 'Broken', path: 'broken', err: { message: 'lost the database at row 7' } });
    expect(errors[0]!['err']['stack']).toContain('lost the database at row 7');
  });

  it('secrets in anything logged are redacted, and variable maps keep their names only', () => {
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJ-secret-jwt', 'x-api-key': 'key-8812', cookie: 'sid=cookie-77' } },
        connector: { password: 'hunter2-pw', clientSecret: 'cs-9931', url: 'https://example.invalid/api' },
        token: 'top-level-token-5',
        variables: { iban: 'DE89-3704-0044' },
      },
      'something happened',
    );
    const line = lines().at(-1)!;
    expect(line).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]' } },
      connector: { password: '[REDACTED]', clientSecret: '[REDACTED]', url: 'https://example.invalid/api' },
      token: '[REDACTED]',
      variables: { iban: '[REDACTED]' },
    });
    for (const secret of ['eyJ-secret-jwt', 'key-8812', 'cookie-77', 'hunter2-pw', 'cs-9931', 'top-level-token-5', 'DE89-3704-0044']) {
      expect(written.join('')).not.toContain(secret);
    }
  });

  it('LOG_LEVEL-style levels filter: at warn, requests and engine events are not written', async () => {
    const quiet: string[] = [];
    const warnOnly = createLogger({ level: 'warn', destination: { write: (s: string) => void quiet.push(s) } });
    const stop = logEngineEvents(h.engine(), warnOnly);
    const other = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', logger: warnOnly });
    try {
      await fetch(`${other.url}/health/ready`);
      await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval' });
      expect(quiet).toEqual([]);
    } finally {
      stop();
      await other.close();
    }
  });
});
