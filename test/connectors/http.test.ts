import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConnector } from '../../connectors/http/index.js';
import { soapHttpConnector } from '../../connectors/soap/index.js';
import { toEngineConnector } from '../../plugins/index.js';
import { testConnector } from '../../plugins/testing.js';
import { eventually, TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}
type Handler = (req: Seen, res: http.ServerResponse, raw: http.IncomingMessage) => void;

/** A real HTTP server on loopback: each test registers its own routes and reads what arrived. */
class TestServer {
  private readonly routes = new Map<string, Handler>();
  private readonly seen = new Map<string, Seen[]>();
  private readonly server: http.Server;
  port = 0;

  private constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const seen: Seen = { method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.seen.set(path, [...(this.seen.get(path) ?? []), seen]);
        const route = this.routes.get(path);
        if (route) route(seen, res, req);
        else res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no route ${path}`);
      });
    });
  }

  static async start(port = 0): Promise<TestServer> {
    const s = new TestServer();
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen(port, '127.0.0.1', () => resolve());
    });
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  route(path: string, handler: Handler): string {
    this.routes.set(path, handler);
    return `${this.origin}${path}`;
  }

  requests(path: string): Seen[] {
    return this.seen.get(path) ?? [];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const s = await TestServer.start();
  const port = s.port;
  await s.close();
  return port;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));

const clock = new TestClock();
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
const servers: TestServer[] = [];
let main: TestServer;

async function ownServer(port = 0): Promise<TestServer> {
  const s = await TestServer.start(port);
  servers.push(s);
  return s;
}

beforeAll(async () => {
  main = await ownServer();
});

afterAll(async () => {
  for (const s of servers) await s.close();
});

const connectors = () => [toEngineConnector(httpConnector), toEngineConnector(soapHttpConnector)];

engineSuite(
  'http-connector',
  (h) => {
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const vars = async (instanceId: string) => Object.fromEntries(Object.entries(await h.engine().getVariables(instanceId)).map(([k, v]) => [k, v.value]));
    const call = (key: string, variables: Record<string, unknown>, businessKey = unique(key)) =>
      h.engine().startProcessInstance({
        processDefinitionKey: key,
        businessKey,
        variables: { method: 'GET', trace: 'trace-1', payload: null, throwHttpError: false, ...variables },
      });
    const jobOf = async (instanceId: string) => {
      const [job] = await h.engine().findJobs({ instanceId });
      expect(job).toBeDefined();
      return job!;
    };

    beforeAll(async () => {
      await h.deploy('Connector.httpCall.bpmn', 'Connector.httpAsync.bpmn', 'Connector.httpTimeout.bpmn', 'Connector.httpAndSoap.bpmn');
    });

    it('a GET answers with the status, the headers under the server’s spelling and lower-cased, the body and its JSON; the idempotency key reaches the server', async () => {
      const path = `/${unique('customer')}`;
      const url = main.route(path, (_req, res) => json(res, 200, { name: 'Ada' }, { 'X-Api-Version': '7' }));
      const pi = await call('httpCall', { url, trace: 'trace-42' });
      expect(await taskKeys(pi.id)).toEqual(['after']);
      const v = await vars(pi.id);
      expect(v).toMatchObject({ status: 200, body: '{"name":"Ada"}', contentType: 'application/json', contentTypeLower: 'application/json', json: { name: 'Ada' } });
      const [seen] = main.requests(path);
      expect(seen).toMatchObject({ method: 'GET', body: '' });
      expect(seen!.headers).toMatchObject({ accept: 'application/json', 'x-trace': 'trace-42' });
      expect(seen!.headers['idempotency-key']).toMatch(new RegExp(`^${pi.id}:`));
    });

    it('a map payload is sent as JSON with its content type, a text payload as it is', async () => {
      const path = `/${unique('orders')}`;
      const url = main.route(path, (req, res) => json(res, 201, { received: req.body }));
      const asJson = await call('httpCall', { url, method: 'post', payload: { item: 'book', quantity: 2 } });
      expect((await vars(asJson.id))['status']).toBe(201);
      const asText = await call('httpCall', { url, method: 'PUT', payload: 'item=book' });
      expect((await vars(asText.id))['status']).toBe(201);
      const [first, second] = main.requests(path);
      expect(first).toMatchObject({ method: 'POST', body: '{"item":"book","quantity":2}' });
      expect(first!.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(second).toMatchObject({ method: 'PUT', body: 'item=book' });
      expect(second!.headers['content-type']).toBeUndefined();
    });

    it('a 4xx or 5xx answer is a result the model reads, as in Camunda, and is not retried', async () => {
      const missing = `/${unique('missing')}`;
      const broken = `/${unique('broken')}`;
      const notFound = await call('httpCall', { url: main.route(missing, (_q, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such customer')) });
      expect(await vars(notFound.id)).toMatchObject({ status: 404, body: 'no such customer', json: null });
      const failed = await call('httpCall', { url: main.route(broken, (_q, res) => res.writeHead(500).end('boom')) });
      expect(await vars(failed.id)).toMatchObject({ status: 500, body: 'boom' });
      expect(main.requests(missing)).toHaveLength(1);
      expect(main.requests(broken)).toHaveLength(1);
    });

    it('with throw-http-error a 4xx answer fails the call at once: the request is not repeated and nothing of the instance is kept', async () => {
      const server = await ownServer();
      const url = server.route('/customers/17', (_q, res) => res.writeHead(422, { 'Content-Type': 'text/plain' }).end('amount must be positive'));
      const businessKey = unique('rejected');
      await expect(call('httpCall', { url, method: 'POST', payload: 'amount=-1', throwHttpError: true }, businessKey)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining("Connector 'http-connector' of activity 'call': POST http://127.0.0.1"),
      });
      await expect(call('httpCall', { url, throwHttpError: true })).rejects.toThrow('HTTP request failed with status code 422; response: amount must be positive');
      expect(server.requests('/customers/17')).toHaveLength(2);
      expect(await h.engine().findProcessInstances({ businessKey })).toEqual([]);
    });

    it('with throw-http-error a burst of 5xx answers is retried with the same idempotency key until the server answers', async () => {
      const server = await ownServer();
      let n = 0;
      const url = server.route('/payments', (_q, res) => (++n <= 2 ? res.writeHead(503).end('busy') : json(res, 200, { paid: true })));
      const pi = await call('httpCall', { url, method: 'POST', payload: { amount: 10 }, throwHttpError: true });
      expect(await vars(pi.id)).toMatchObject({ status: 200, json: { paid: true } });
      const seen = server.requests('/payments');
      expect(seen).toHaveLength(3);
      expect(new Set(seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
    });

    it('a 429 with Retry-After makes the failed job due when the server said it would take calls again', async () => {
      const server = await ownServer();
      const url = server.route('/quota', (_q, res) => res.writeHead(429, { 'Retry-After': '120' }).end('slow down'));
      const pi = await call('httpAsync', { url, throwHttpError: true });
      const job = await jobOf(pi.id);
      await expect(h.engine().executeJob(job.id)).rejects.toThrow('HTTP request failed with status code 429');
      const [row] = await h.engine().findJobs({ id: job.id });
      expect(row).toMatchObject({ retries: 2 });
      expect(row!.dueDate!.getTime()).toBe(clock.now().getTime() + 120_000);
    });

    it('a slow answer is aborted after connector.timeout, and the server sees the request go away', async () => {
      const server = await ownServer();
      let gone = false;
      const url = server.route('/slow', (_q, _res, raw) => raw.socket.once('close', () => (gone = true)));
      await expect(call('httpTimeout', { url })).rejects.toThrow("Connector 'http-connector' of serviceTask 'call' timed out after 150 ms");
      await eventually(async () => gone, 5_000, 'the server to see the aborted request');
      expect(server.requests('/slow')).toHaveLength(1);
    });

    it('an order the server took but whose answer was lost is sent again with the same key, across a restart, and the deduplicating server books it once', async () => {
      const server = await ownServer();
      const booked = new Map<string, { orderId: string }>();
      let bookings = 0;
      const url = server.route('/orders', (req, res, raw) => {
        const key = String(req.headers['idempotency-key']);
        const known = booked.get(key);
        if (known) return json(res, 201, known);
        booked.set(key, { orderId: `order-${++bookings}` });
        // Booked, but the connection drops before the answer: the client cannot know.
        raw.socket.destroy();
      });
      const pi = await call('httpAsync', { url, method: 'POST', payload: { item: 'book' } });
      const job = await jobOf(pi.id);
      await expect(h.engine().executeJob(job.id)).rejects.toThrow(/socket hang up|ECONNRESET/);
      await h.restart();
      await h.engine().executeJob(job.id);
      expect(await taskKeys(pi.id)).toEqual(['after']);
      expect(await vars(pi.id)).toMatchObject({ status: 201, json: { orderId: 'order-1' } });
      expect(bookings).toBe(1);
      const keys = server.requests('/orders').map((s) => s.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
    });

    it('a target that stays down uses up the job retries into a failedJob incident; once it is back the instance goes on with nothing lost', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/inventory`;
      const pi = await call('httpAsync', { url });
      const job = await jobOf(pi.id);
      for (let i = 0; i < 3; i++) await expect(h.engine().executeJob(job.id)).rejects.toThrow(/ECONNREFUSED/);
      const [row] = await h.engine().findJobs({ id: job.id });
      expect(row!.retries).toBe(0);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toMatchObject([{ type: 'failedJob', activityId: 'call', message: expect.stringContaining('ECONNREFUSED') }]);
      await h.restart();
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['call']);
      const server = await ownServer(port);
      server.route('/inventory', (_q, res) => json(res, 200, { inStock: 3 }));
      await h.engine().setJobRetries(job.id, 1);
      await h.engine().executeJob(job.id);
      expect(await taskKeys(pi.id)).toEqual(['after']);
      expect(await vars(pi.id)).toMatchObject({ status: 200, json: { inStock: 3 }, trace: 'trace-1' });
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
    });

    it('a burst of 5xx answers opens the circuit of that origin: calls fail fast without reaching it until a trial call after the reset time succeeds', async () => {
      const node = await h.secondEngine({ clock, connectors: connectors(), connectorPolicy: { backoffMs: 1, breakerFailures: 3, breakerResetMs: 300 } });
      const server = await ownServer();
      let healthy = false;
      const url = server.route('/rates', (_q, res) => (healthy ? json(res, 200, { rate: 1.1 }) : res.writeHead(502).end('bad gateway')));
      const start = () => node.startProcessInstance({ processDefinitionKey: 'httpCall', variables: { url, method: 'GET', trace: 't', payload: null, throwHttpError: true } });
      // One start makes three attempts (connector.retries 2): the third failure opens the circuit.
      await expect(start()).rejects.toThrow('status code 502');
      expect(server.requests('/rates')).toHaveLength(3);
      await expect(start()).rejects.toThrow(`Circuit open for '${server.origin}' after 3 consecutive failures`);
      expect(server.requests('/rates')).toHaveLength(3);
      healthy = true;
      const pi = await eventually(async () => start().catch(() => null), 5_000, 'a trial call after the reset time');
      expect((await node.getVariables(pi.id))['status']!.value).toBe(200);
      expect(server.requests('/rates')).toHaveLength(4);
      await start();
      expect(server.requests('/rates')).toHaveLength(5);
    });

    it('a Camunda 7 model with http-connector and soap-http-connector runs unchanged: expressions and scripts read statusCode and response', async () => {
      const customerId = unique('c');
      main.route(`/crm/customers/${customerId}`, (_q, res) => json(res, 200, { id: customerId, name: 'Ada Lovelace' }));
      const creditPath = `/${unique('credit')}`;
      const creditServiceUrl = main.route(creditPath, (_q, res) =>
        res
          .writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' })
          .end(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cust="http://example.com/credit"><soapenv:Body><cust:CheckCreditResponse><cust:limit>5000</cust:limit></cust:CheckCreditResponse></soapenv:Body></soapenv:Envelope>',
          ),
      );
      const variables = { crmUrl: `${main.origin}/crm`, creditServiceUrl, amount: 1200 };
      const found = await h.engine().startProcessInstance({ processDefinitionKey: 'customerCreditCheck', variables: { ...variables, customerId } });
      const lost = await h.engine().startProcessInstance({ processDefinitionKey: 'customerCreditCheck', variables: { ...variables, customerId: 'nobody' } });
      expect(await h.engine().getActiveActivityIds(found.id)).toEqual(['Activity_fetchCustomer']);
      await h.restart();
      await h.engine().runDueJobs();
      expect(await taskKeys(found.id)).toEqual(['Activity_reviewCredit']);
      expect(await vars(found.id)).toMatchObject({ customerFound: true, customerName: 'Ada Lovelace', creditStatus: 200, creditLimit: 5000 });
      const [soapCall] = main.requests(creditPath);
      expect(soapCall).toMatchObject({ method: 'POST' });
      expect(soapCall!.headers).toMatchObject({ soapaction: 'urn:CheckCredit', 'content-type': 'text/xml; charset=utf-8' });
      expect(soapCall!.body).toContain('<cust:name>Ada Lovelace</cust:name>');
      expect(soapCall!.body).toContain('<cust:amount>1200</cust:amount>');
      expect(await taskKeys(lost.id)).toEqual(['Activity_createCustomer']);
      expect(await vars(lost.id)).toMatchObject({ customerFound: false, customerName: null });
    });

    it('deployment refuses a static method, URL or request-config option the connector cannot use, naming the element and the field', async () => {
      const rejected = h.engine().deploy({ resources: [{ name: 'Connector.httpInvalid.bpmn', content: fixture('Connector.httpInvalid.bpmn') }] });
      await expect(rejected).rejects.toMatchObject({ code: 'MODEL_INVALID' });
      const problems = ((await rejected.catch((e: unknown) => e)) as { problems: { elementId: string; message: string }[] }).problems;
      expect(problems.every((p) => p.elementId === 'call')).toBe(true);
      const messages = problems.map((p) => p.message).join('\n');
      expect(messages).toContain("camunda:connector 'http-connector': input 'url': must be an absolute http:// or https:// URL");
      expect(messages).toContain("input 'method': must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, TRACE");
      expect(messages).toContain("input 'request-config.throw-http-error'");
    });
  },
  () => ({ clock, connectors: connectors(), connectorPolicy: { timeoutMs: 5_000, backoffMs: 1, breakerFailures: 100 } }),
);

describe('http-connector invoked directly', () => {
  it('stops the request when its signal aborts, leaving nothing running at the server', async () => {
    const server = await ownServer();
    let gone = false;
    const url = server.route('/hang', (_q, _res, raw) => raw.socket.once('close', () => (gone = true)));
    const controller = new AbortController();
    const pending = testConnector(httpConnector, { url }, { signal: controller.signal });
    await eventually(async () => server.requests('/hang').length === 1, 5_000, 'the request to arrive');
    controller.abort(new Error('engine shutting down'));
    await expect(pending).rejects.toThrow('engine shutting down');
    await eventually(async () => gone, 5_000, 'the server to see the connection close');
  });

  it('a HEAD or 204 answer has no body: response is null', async () => {
    const path = `/${unique('head')}`;
    const url = main.route(path, (req, res) => res.writeHead(req.method === 'HEAD' ? 200 : 204, { 'X-Count': '3' }).end());
    const head = await testConnector(httpConnector, { url, method: 'HEAD' });
    const deleted = await testConnector(httpConnector, { url, method: 'DELETE' });
    expect(head).toMatchObject({ kind: 'result', output: { statusCode: 200, response: null, headers: { 'X-Count': '3', 'x-count': '3' } } });
    expect(deleted).toMatchObject({ kind: 'result', output: { statusCode: 204, response: null } });
  });

  it('the idempotency key the model sets itself is kept, and the circuit breaker’s target is the URL’s origin', async () => {
    const path = `/${unique('keyed')}`;
    const url = main.route(path, (_q, res) => res.writeHead(200).end('ok'));
    await testConnector(httpConnector, { url, headers: { 'idempotency-key': 'order-77' } });
    expect(main.requests(path)[0]!.headers['idempotency-key']).toBe('order-77');
    expect(toEngineConnector(httpConnector).target!({ url: `${url}?q=1` })).toBe(main.origin);
  });

  it('a header value with a line break is refused before anything is sent', async () => {
    const path = `/${unique('smuggle')}`;
    const url = main.route(path, (_q, res) => res.writeHead(200).end('ok'));
    await expect(testConnector(httpConnector, { url, headers: { 'X-Note': 'a\r\nX-Admin: yes' } })).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining("input 'headers.X-Note': must not contain line breaks"),
    });
    expect(main.requests(path)).toEqual([]);
  });

  it('a URL holding a secret reference passes the deploy-time check, which still refuses a misspelt parameter', () => {
    const c = toEngineConnector(httpConnector);
    expect(c.validateStatic!({ url: 'https://{{secrets.CRM_HOST}}/customers', method: 'get' }, new Set())).toEqual([]);
    expect(c.validateStatic!({ url: 'https://crm.example.com', mehtod: 'GET' }, new Set())).toEqual([
      "unknown input parameter 'mehtod' (known: url, method, headers, payload, request-config, throw-http-error)",
    ]);
  });
});
