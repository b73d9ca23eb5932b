import { beforeAll, expect, it } from 'vitest';
import { BpmnError, ConnectorError, type ConnectorCall, type ConnectorResult, type EngineConnector } from '../../engine/index.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

const clock = new TestClock();
const SECRET = 's3cr3t-token-value';
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** What `test-scripted` does per `case` input: each test scripts its own case. */
const cases = new Map<string, (call: ConnectorCall) => Promise<ConnectorResult>>();
const calls: ConnectorCall[] = [];
const pendingTokens = new Map<string, string>();

const echo: EngineConnector = {
  id: 'test-echo',
  validateStatic(input, dynamic) {
    const problems: string[] = [];
    if (!('text' in input) && !dynamic.has('text')) problems.push("input 'text' is required");
    if ('auth' in input && typeof input['auth'] !== 'string') problems.push("input 'auth' must be a string");
    return problems;
  },
  async invoke(call) {
    calls.push(call);
    return { kind: 'result', output: { echo: { ...call.input }, key: call.idempotencyKey } };
  },
};

const scripted: EngineConnector = {
  id: 'test-scripted',
  target: (input) => `target-${String(input['case'])}`,
  async invoke(call) {
    calls.push(call);
    const run = cases.get(String(call.input['case']));
    if (!run) throw new Error(`no case '${String(call.input['case'])}'`);
    return run(call);
  },
};

const pending: EngineConnector = {
  id: 'test-pending',
  async invoke(call) {
    pendingTokens.set(call.processInstanceId, call.correlationToken);
    const timeoutMs = call.input['timeoutMs'];
    return typeof timeoutMs === 'number'
      ? { kind: 'pending', timeoutMs, onTimeout: { kind: 'bpmnError', errorCode: 'NO_ANSWER', errorMessage: 'the bot did not answer' } }
      : { kind: 'pending' };
  },
};

engineSuite(
  'connectors',
  (h) => {
    const taskKeys = async (instanceId: string) => (await h.engine().findTasks({ instanceId })).map((t) => t.taskDefinitionKey);
    const start = (key: string, variables: Record<string, unknown> = {}) => h.engine().startProcessInstance({ processDefinitionKey: key, businessKey: unique(key), variables });
    const callsOf = (instanceId: string) => calls.filter((c) => c.processInstanceId === instanceId);

    beforeAll(async () => {
      await h.deploy('Connector.result.bpmn', 'Connector.bpmnError.bpmn', 'Connector.async.bpmn', 'Connector.pending.bpmn', 'Connector.messageEvents.bpmn');
    });

    it('input parameters are evaluated, secrets resolved for the call only, and output parameters read the result', async () => {
      const pi = await start('connectorResult', { name: 'Ada' });
      expect(await taskKeys(pi.id)).toEqual(['review']);
      const [call] = callsOf(pi.id);
      expect(call!.input).toEqual({ text: 'Hello Ada', auth: `Bearer ${SECRET}`, tags: ['a', 'Ada'] });
      expect(call!.activityId).toBe('greet');
      const vars = await h.engine().getVariables(pi.id);
      expect(vars['greeting']).toMatchObject({ type: 'String', value: 'Hello Ada' });
      // The connector echoed the secret back: it never reaches a variable.
      expect(vars['authSeen']!.value).toBe('Bearer ***');
      expect(JSON.stringify(vars)).not.toContain(SECRET);
      expect(vars['callKey']!.value).toBe(call!.idempotencyKey);
      // Scripts read the connector's scope as Camunda's do; its inputs are seen as written, secret references unresolved.
      expect(vars['scripted']!.value).toBe('Hello Ada / Bearer {{secrets.API_TOKEN}}');
      // Connector-internal variables stay out of the process.
      expect(vars['echo']).toBeUndefined();
    });

    it('message throw and end events call their connector as Camunda does', async () => {
      const pi = await start('connectorMessageEvents', { order: 'A-7' });
      expect(callsOf(pi.id).map((c) => [c.activityId, c.input['text']])).toEqual([
        ['announce', 'announced A-7'],
        ['end', 'done A-7'],
      ]);
      const [hist] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hist!.state).toBe('COMPLETED');
    });

    it('a BPMN error from the connector is caught by the error boundary event with its message', async () => {
      cases.set('decline', async () => {
        throw new BpmnError('PAYMENT_DECLINED', 'card expired');
      });
      const pi = await start('connectorError', { caseName: 'decline' });
      expect(await taskKeys(pi.id)).toEqual(['declinedTask']);
      expect((await h.engine().getVariables(pi.id))['declineReason']!.value).toBe('card expired');
    });

    it('a technical failure of a synchronous call fails the command naming the connector, and nothing of the instance is kept', async () => {
      const caseName = unique('boom');
      cases.set(caseName, async () => {
        throw new ConnectorError('test-scripted', 'upstream said 503', { retryable: false });
      });
      const bk = unique('sync-failure');
      await expect(h.engine().startProcessInstance({ processDefinitionKey: 'connectorError', businessKey: bk, variables: { caseName } })).rejects.toThrow('upstream said 503');
      expect(await h.engine().findProcessInstances({ businessKey: bk })).toEqual([]);
    });

    it('retryable failures are retried in-process with backoff before the call succeeds; the idempotency key stays the same', async () => {
      const caseName = unique('flaky');
      let n = 0;
      cases.set(caseName, async () => {
        if (++n < 2) throw new Error('ECONNRESET');
        return { kind: 'result', output: { answer: 42 } };
      });
      const pi = await start('connectorAsync', { caseName });
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['after']);
      expect((await h.engine().getVariables(pi.id))['answer']!.value).toBe(42);
      const mine = callsOf(pi.id);
      expect(mine.map((c) => c.attempt)).toEqual([1, 2]);
      expect(new Set(mine.map((c) => c.idempotencyKey)).size).toBe(1);
    });

    it('when in-process retries run out, the job fails: the connector\'s retry hint sets the due date, job retries end in an incident, and the key survives across job retries', async () => {
      const caseName = unique('down');
      cases.set(caseName, async () => {
        throw new ConnectorError('test-scripted', 'target down', { nextRetryDelayMs: 1 });
      });
      const pi = await start('connectorAsync', { caseName });
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      await expect(h.engine().executeJob(job!.id)).rejects.toThrow('target down');
      let [row] = await h.engine().findJobs({ id: job!.id });
      expect(row).toMatchObject({ retries: 2, exceptionMessage: 'target down' });
      expect(row!.dueDate!.getTime()).toBe(clock.now().getTime() + 1);
      await expect(h.engine().executeJob(job!.id)).rejects.toThrow();
      await expect(h.engine().executeJob(job!.id)).rejects.toThrow();
      [row] = await h.engine().findJobs({ id: job!.id });
      expect(row!.retries).toBe(0);
      const incidents = await h.engine().findIncidents({ instanceId: pi.id });
      expect(incidents).toMatchObject([{ type: 'failedJob', activityId: 'call', message: 'target down' }]);
      // 3 job attempts × (1 + 1 resilience retry), one key for all of them.
      const mine = callsOf(pi.id);
      expect(mine).toHaveLength(6);
      expect(new Set(mine.map((c) => c.idempotencyKey)).size).toBe(1);
      // The target recovers: retries back, the job runs, the incident is resolved.
      cases.set(caseName, async () => ({ kind: 'result', output: { answer: 'ok' } }));
      await h.engine().setJobRetries(job!.id, 1);
      await h.engine().executeJob(job!.id);
      expect(await taskKeys(pi.id)).toEqual(['after']);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
    });

    it('the circuit of a failing target opens: calls fail fast without reaching the connector', async () => {
      const caseName = unique('breaker');
      let reached = 0;
      cases.set(caseName, async () => {
        reached++;
        throw new Error('refused');
      });
      // The suite's policy: 7 consecutive failures open the circuit; each job attempt makes 2 calls (retries: 1),
      // so the fourth job's first call opens it and its retry already fails fast.
      for (let i = 0; i < 4; i++) {
        const pi = await start('connectorAsync', { caseName });
        const [job] = await h.engine().findJobs({ instanceId: pi.id });
        await expect(h.engine().executeJob(job!.id)).rejects.toThrow(i < 3 ? 'refused' : 'Circuit open');
      }
      expect(reached).toBe(7);
      const pi = await start('connectorAsync', { caseName });
      const [job] = await h.engine().findJobs({ instanceId: pi.id });
      await expect(h.engine().executeJob(job!.id)).rejects.toThrow(`Circuit open for 'target-${caseName}' after 7 consecutive failures`);
      expect(reached).toBe(7);
    });

    it('a call that never answers is aborted after its timeout', async () => {
      const caseName = unique('hang');
      cases.set(caseName, () => new Promise(() => {}));
      const bk = unique('hang');
      const started = h.engine().startProcessInstance({ processDefinitionKey: 'connectorError', businessKey: bk, variables: { caseName } });
      await expect(started).rejects.toThrow("Connector 'test-scripted' of serviceTask 'charge' timed out after 50 ms");
    });

    it('a pending call makes the activity wait across a restart; its token completes it once, and a replay is refused', async () => {
      const pi = await start('connectorPending', { timeoutMs: null });
      const token = pendingTokens.get(pi.id)!;
      expect(token).toMatch(new RegExp(`^${pi.id}\\.`));
      expect(await h.engine().getActiveActivityIds(pi.id)).toEqual(['bot']);
      await h.restart();
      await h.engine().completeConnectorCall(token, { kind: 'result', output: { result: 'filed' } });
      expect(await taskKeys(pi.id)).toEqual(['done']);
      expect((await h.engine().getVariables(pi.id))['botResult']!.value).toBe('filed');
      await expect(h.engine().completeConnectorCall(token, { kind: 'result', output: { result: 'again' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(h.engine().completeConnectorCall(`${pi.id}.forged`, { kind: 'result', output: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('a pending call answered with a business error leaves through the error boundary event', async () => {
      const pi = await start('connectorPending', { timeoutMs: null });
      await h.engine().completeConnectorCall(pendingTokens.get(pi.id)!, { kind: 'bpmnError', errorCode: 'BOT_REFUSED', variables: { reason: 'captcha' } });
      expect(await taskKeys(pi.id)).toEqual(['refusedTask']);
      expect((await h.engine().getVariables(pi.id))['reason']!.value).toBe('captcha');
    });

    it('a pending call that reports a technical failure is made again by a job with the same idempotency key', async () => {
      const pi = await start('connectorPending', { timeoutMs: null });
      const first = callsOf(pi.id).length;
      const firstToken = pendingTokens.get(pi.id)!;
      await h.engine().completeConnectorCall(firstToken, { kind: 'failure', message: 'bot crashed' });
      const [job] = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-retry' });
      expect(job).toBeDefined();
      await h.engine().executeJob(job!.id);
      const secondToken = pendingTokens.get(pi.id)!;
      expect(secondToken).not.toBe(firstToken);
      await expect(h.engine().completeConnectorCall(firstToken, { kind: 'result', output: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await h.engine().completeConnectorCall(secondToken, { kind: 'result', output: { result: 'second try' } });
      expect(await taskKeys(pi.id)).toEqual(['done']);
      expect(callsOf(pi.id).length).toBe(first);
    });

    it('a pending call whose deadline passes raises the configured BPMN error', async () => {
      const pi = await start('connectorPending', { timeoutMs: 60_000 });
      const [deadline] = await h.engine().findJobs({ instanceId: pi.id, type: 'connector-deadline' });
      expect(deadline!.dueDate!.getTime()).toBe(clock.now().getTime() + 60_000);
      await h.restart();
      clock.advance(60_000);
      await h.engine().runDueJobs();
      expect(await taskKeys(pi.id)).toEqual(['timedOut']);
      await expect(h.engine().completeConnectorCall(pendingTokens.get(pi.id)!, { kind: 'result', output: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('deployment refuses an unknown connector id and static inputs the connector rejects, naming the element', async () => {
      await expect(h.engine().deploy({ resources: [{ name: 'Connector.unknown.bpmn', content: fixture('Connector.unknown.bpmn') }] })).rejects.toMatchObject({
        code: 'MODEL_INVALID',
        problems: [
          expect.objectContaining({ elementId: 'mail', message: "camunda:connector 'mail-send': no connector 'mail-send' is registered (known: test-echo, test-scripted, test-pending)" }),
          expect.objectContaining({ elementId: 'echo', message: "camunda:connector 'test-echo': input 'auth' must be a string" }),
        ],
      });
    });

    it('a secret that is not defined fails the call naming the secret, not its value', async () => {
      const other = await h.secondEngine({ clock, connectors: [echo], secrets: () => undefined });
      await expect(other.startProcessInstance({ processDefinitionKey: 'connectorResult', variables: { name: 'Bo' } })).rejects.toThrow(
        "Secret 'API_TOKEN' referenced by serviceTask 'greet' (input 'auth') is not defined",
      );
    });
  },
  () => ({
    clock,
    connectors: [echo, scripted, pending],
    secrets: (name: string) => (name === 'API_TOKEN' ? SECRET : undefined),
    connectorPolicy: { timeoutMs: 50, backoffMs: 1, breakerFailures: 7 },
  }),
);
