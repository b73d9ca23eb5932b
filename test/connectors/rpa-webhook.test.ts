import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RpaWebhook } from '../../connectors/rpa-webhook/index.js';
import { definePlugin } from '../../plugins/index.js';
import { TestClock, eventually } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';
import { pluginNode } from '../helpers/plugin-node.js';

const clock = new TestClock();
const CALLBACK_SECRET = 'callback-signing-key-for-tests';
const BOT_TOKEN = 'bot-orchestrator-token';

interface BotJob {
  invoiceId: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  callbackUrl: string;
}

/** An RPA orchestrator: takes jobs (202); for invoice 'fast…' it calls back first and answers the job request only when `answerFast` allows. */
class BotSimulator {
  readonly jobs: BotJob[] = [];
  readonly earlyCallbacks: Promise<number>[] = [];
  answerFast: () => Promise<unknown> = async () => {};
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        const job: BotJob = { invoiceId: String(body['invoiceId']), headers: req.headers, body, callbackUrl: String(body['callbackUrl']) };
        this.jobs.push(job);
        if (job.invoiceId === 'refuse') {
          res.writeHead(422, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'unknown robot' }));
          return;
        }
        const accept = () => {
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ jobId: `job-${this.jobs.length}` }));
        };
        if (job.invoiceId.startsWith('fast')) {
          this.earlyCallbacks.push(callback(job.callbackUrl, { status: 'success', outputs: { total: 7, approver: 'speedy' } }).then((r) => r.status));
          void this.answerFast().then(accept);
          return;
        }
        accept();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jobs`;
  }

  jobsFor(invoiceId: string): BotJob[] {
    return this.jobs.filter((j) => j.invoiceId === invoiceId);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function callback(url: string, body: unknown, method = 'POST'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

engineSuite(
  'rpa-webhook connector',
  (h) => {
    const rpa = new RpaWebhook({ answerGraceMs: 300 });
    const plugin = definePlugin({
      name: 'cadenzaflow-rpa-test',
      apiVersion: 1,
      connectors: [rpa.connector],
      routes: (host) => rpa.routes(host),
      hooks: { engineWillStart: (host) => rpa.attach(host) },
    });
    const bot = new BotSimulator();

    beforeAll(() => bot.start());
    afterAll(() => bot.stop());

    const node = pluginNode(h, () => [{ definition: plugin, config: { rpaWebhook: { callbackSecret: '{{secrets.RPA_CALLBACK_SECRET}}' } } }]);

    beforeAll(async () => {
      await h.deploy('Rpa.job.bpmn', 'Rpa.deadlineError.bpmn', 'Rpa.deadlineIncident.bpmn');
    });

    const start = (key: string, invoiceId: string) => h.engine().startProcessInstance({ processDefinitionKey: key, businessKey: invoiceId, variables: { botUrl: bot.url, invoiceId } });
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const variable = async (instanceId: string, name: string) => (await h.engine().getVariables(instanceId))[name]?.value;
    const onlyJob = (invoiceId: string) => {
      const jobs = bot.jobsFor(invoiceId);
      expect(jobs).toHaveLength(1);
      return jobs[0]!;
    };

    it('the bot gets the job with its payload, headers and a signed callback URL on the gateway port; its success callback completes the activity with its outputs, across a restart', async () => {
      const pi = await start('rpaInvoice', 'I-1');
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['bot']);
      const job = onlyJob('I-1');
      expect(job.body).toEqual({ invoiceId: 'I-1', robot: 'erp-booking', callbackUrl: job.callbackUrl });
      expect(job.callbackUrl.startsWith(`${node.baseUrl()}/plugins/cadenzaflow-rpa-test/rpa/callback/${encodeURIComponent(pi.id)}.`)).toBe(true);
      expect(new URL(job.callbackUrl).searchParams.get('signature')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(job.headers).toMatchObject({ authorization: `Bearer ${BOT_TOKEN}`, 'x-callback-url': job.callbackUrl, 'content-type': 'application/json' });
      expect(job.headers['idempotency-key']).toMatch(new RegExp(`^${pi.id}:`));

      await node.restart();
      const r = await callback(job.callbackUrl, { status: 'success', outputs: { total: 1234.5, approver: 'ada' } });
      expect(r).toEqual({ status: 200, json: { status: 'accepted' } });
      expect(await taskKeys(pi.id)).toEqual(['done']);
      expect(await variable(pi.id, 'total')).toBe(1234.5);
      expect(await variable(pi.id, 'approvedBy')).toBe('ada');
    });

    it('a business error callback is thrown as a BPMN error and caught by the error boundary event, with its variables', async () => {
      const pi = await start('rpaInvoice', 'I-2');
      const r = await callback(onlyJob('I-2').callbackUrl, { status: 'businessError', errorCode: 'INVOICE_REJECTED', errorMessage: 'vendor unknown', variables: { rejection: 'vendor unknown' } });
      expect(r.status).toBe(200);
      expect(await taskKeys(pi.id)).toEqual(['rejectedTask']);
      expect(await variable(pi.id, 'rejection')).toBe('vendor unknown');
    });

    it('a technical failure callback makes a retry job start the bot again with the same idempotency key, and the new callback completes the activity', async () => {
      const pi = await start('rpaInvoice', 'I-3');
      const first = onlyJob('I-3');
      expect((await callback(first.callbackUrl, { status: 'failure', errorMessage: 'citrix session lost' })).status).toBe(200);
      const [job] = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-retry' });
      expect(job).toBeDefined();
      await h.engine().executeJob(job!.id);
      const jobs = bot.jobsFor('I-3');
      expect(jobs).toHaveLength(2);
      expect(jobs[1]!.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
      expect(jobs[1]!.callbackUrl).not.toBe(first.callbackUrl);
      // The failed attempt's URL is spent.
      expect((await callback(first.callbackUrl, { status: 'success', outputs: { total: 1, approver: 'x' } })).status).toBe(409);
      expect((await callback(jobs[1]!.callbackUrl, { status: 'success', outputs: { total: 2, approver: 'bo' } })).status).toBe(200);
      expect(await taskKeys(pi.id)).toEqual(['done']);
      expect(await variable(pi.id, 'total')).toBe(2);
    });

    it('a callback that arrives twice completes the call once: the repeat answers 409 and changes nothing', async () => {
      const pi = await start('rpaInvoice', 'I-4');
      const url = onlyJob('I-4').callbackUrl;
      expect((await callback(url, { status: 'success', outputs: { total: 10, approver: 'first' } })).status).toBe(200);
      const again = await callback(url, { status: 'success', outputs: { total: 20, approver: 'second' } });
      expect(again.status).toBe(409);
      expect(await variable(pi.id, 'approvedBy')).toBe('first');
      expect(await taskKeys(pi.id)).toEqual(['done']);
    });

    it('an unsigned callback answers 401 and a forged one 403; the call keeps waiting for the genuine one', async () => {
      const pi = await start('rpaInvoice', 'I-5');
      const genuine = new URL(onlyJob('I-5').callbackUrl);
      const unsigned = new URL(genuine);
      unsigned.searchParams.delete('signature');
      const forged = new URL(genuine);
      forged.searchParams.set('signature', `${genuine.searchParams.get('signature')!.slice(0, -2)}AA`);
      // A valid signature of this token moved to another token of the same instance.
      const otherToken = new URL(genuine);
      otherToken.pathname = genuine.pathname.replace(/\.[^./]+$/, '.someOtherNonce');
      const answer = { status: 'success', outputs: { total: 666, approver: 'mallory' } };
      expect((await callback(unsigned.toString(), answer)).status).toBe(401);
      expect((await callback(forged.toString(), answer)).status).toBe(403);
      expect((await callback(otherToken.toString(), answer)).status).toBe(403);
      expect((await callback(genuine.toString(), answer, 'GET')).status).toBe(405);
      const malformed = await callback(genuine.toString(), { status: 'done' });
      expect(malformed.status).toBe(400);
      expect(malformed.json['problems']).toBeDefined();
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['bot']);
      expect((await callback(genuine.toString(), { status: 'success', outputs: { total: 5, approver: 'bot' } })).status).toBe(200);
      expect(await variable(pi.id, 'approvedBy')).toBe('bot');
    });

    it('a missed deadline throws the configured BPMN error; a callback after it answers 410', async () => {
      const pi = await start('rpaDeadlineError', 'I-6');
      clock.advance(60_000);
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['lateTask']);
      expect(await variable(pi.id, 'lateReason')).toBe('the bot did not finish in a minute');
      expect((await callback(onlyJob('I-6').callbackUrl, { status: 'success', outputs: {} })).status).toBe(410);
    });

    it('a missed deadline without an error code raises an incident; the late callback still completes the activity and resolves it', async () => {
      const pi = await start('rpaDeadlineIncident', 'I-7');
      clock.advance(60_000);
      await h.engine().runDueJobs();
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toMatchObject([{ type: 'connectorTimeout', activityId: 'bot', message: expect.stringContaining('did not call back within 60000 ms') }]);
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['bot']);
      expect((await callback(onlyJob('I-7').callbackUrl, { status: 'success', outputs: { total: 3 } })).status).toBe(200);
      expect(await taskKeys(pi.id)).toEqual(['done']);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
    });

    it('a bot that calls back before its job request returned (before the call committed) still completes the call', async () => {
      // The bot answers its job request only after the callback met a call not yet committed.
      const attempts: string[] = [];
      const engine = h.engine();
      const complete = engine.completeConnectorCall.bind(engine);
      engine.completeConnectorCall = async (token, outcome) => {
        try {
          await complete(token, outcome);
          attempts.push('completed');
        } catch (e) {
          attempts.push((e as { code?: string }).code ?? 'error');
          throw e;
        }
      };
      bot.answerFast = () => eventually(async () => attempts.includes('NOT_FOUND'), 10_000, 'the early callback to arrive');
      try {
        const pi = await start('rpaInvoice', `fast-${h.kind}`);
        expect(await bot.earlyCallbacks.at(-1)).toBe(200);
        expect(attempts[0]).toBe('NOT_FOUND');
        expect(attempts.at(-1)).toBe('completed');
        expect(await taskKeys(pi.id)).toEqual(['done']);
        expect(await variable(pi.id, 'approvedBy')).toBe('speedy');
      } finally {
        engine.completeConnectorCall = complete;
      }
    });

    it('a bot endpoint that refuses the job fails the call with its status, and nothing of the instance is kept', async () => {
      await expect(start('rpaInvoice', 'refuse')).rejects.toThrow(/POST http:\/\/127\.0\.0\.1:\d+\/jobs: HTTP request failed with status code 422/);
      expect(await h.engine().findProcessInstances({ businessKey: 'refuse' })).toEqual([]);
    });
  },
  () => ({
    clock,
    secrets: (name: string) => ({ RPA_CALLBACK_SECRET: CALLBACK_SECRET, BOT_TOKEN })[name],
    connectorPolicy: { backoffMs: 1 },
  }),
);
