/**
 * Authentication: API keys, JWT bearer tokens (HS256, and RS256/ES256 from a
 * JWKS file), HTTP Basic on /engine-rest (also through Camunda's own worker
 * library), graphql-ws `connection_init`, and anonymous access only when
 * configured. One set of identities serves /graphql and /engine-rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicAuthInterceptor, Client } from 'camunda-external-task-client-js';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bin/config.js';
import { loadAuthOptions } from '../../gateway/auth/index.js';
import { eventually } from '../helpers/clock.js';
import { basic, bearer, DEPLOY, deployInput, HS256_SECRET, hs256Token, recordSocket, securedSuite, testKey } from './secured-harness.js';

declare module 'camunda-external-task-client-js' {
  /** Returns the request interceptor that adds `Authorization: Basic …`. */
  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }
  interface ClientConfig {
    interceptors?: unknown;
  }
}

const ci = testKey('ci');
const reader = testKey('reader', ['READ']);
const WORKER_PASSWORD = 'worker-password-0123456789';
const KERMIT_PASSWORD = 'kermit-password-0123456789';
const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'cadenzaflow';

const hsToken = (claims: Record<string, unknown>, opts: Parameters<typeof hs256Token>[1] = {}) =>
  hs256Token(claims, { subject: 'piggy', issuer: ISSUER, audience: AUDIENCE, ...opts });

const DEFINITIONS = '{ processDefinitions { totalCount } }';

securedSuite(
  'authentication',
  () => ({
    auth: {
      apiKeys: [ci, reader],
      basicUsers: [
        { id: 'worker', password: WORKER_PASSWORD, permissions: ['READ', 'WORK_TASKS'] },
        { id: 'kermit', password: KERMIT_PASSWORD, permissions: ['READ'] },
      ],
      jwt: { secret: HS256_SECRET, issuer: ISSUER, audience: AUDIENCE },
    },
  }),
  (h) => {
    it('an API key as Authorization: Bearer or as X-API-Key is served; a wrong key and no credentials get 401 UNAUTHENTICATED', async () => {
      expect((await h.gql(DEFINITIONS, {}, bearer(ci.key))).data).toEqual({ processDefinitions: { totalCount: expect.any(Number) } });
      expect((await h.gql(DEFINITIONS, {}, { 'x-api-key': reader.key })).data).toEqual({ processDefinitions: { totalCount: expect.any(Number) } });

      const wrong = await h.gql(DEFINITIONS, {}, bearer('not-a-key-of-this-node-000'));
      expect(wrong.status).toBe(401);
      expect(wrong.errors).toEqual([{ message: 'Unknown API key', extensions: { code: 'UNAUTHENTICATED' } }]);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="cadenzaflow", error="invalid_token"');

      const none = await h.gql(DEFINITIONS);
      expect(none.status).toBe(401);
      expect(none.errors).toEqual([{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }]);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="cadenzaflow"');
    });

    it('an HS256 token is served with the permissions, groups and tenants its claims name, and the subject as user', async () => {
      const deployed = await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), bearer(ci.key));
      expect(deployed.errors).toBeUndefined();
      const token = await hsToken({ permissions: ['read', 'start', 'some-other-apps-permission'], groups: ['accounting'] });

      const started = await h.gql(`mutation { startProcessInstance(input: { processDefinitionKey: "authApproval" }) { id } }`, {}, bearer(token));
      expect(started.errors).toBeUndefined();
      const history = await h.rest('GET', `/history/process-instance/${started.data.startProcessInstance.id}`, undefined, bearer(token));
      expect(history.body.startUserId).toBe('piggy');

      // No DEPLOY in the claims; an unknown permission name grants nothing.
      const deploy = await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), bearer(token));
      expect(deploy.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining("'piggy' lacks the DEPLOY permission") });

      // The permissions claim may also be a space-separated string (an OAuth scope).
      const scoped = await hsToken({ permissions: 'READ WORK_TASKS' });
      expect((await h.gql(DEFINITIONS, {}, bearer(scoped))).errors).toBeUndefined();
    });

    it('expired tokens, wrong signatures, a wrong issuer or audience, alg none and a missing exp are refused with the reason', async () => {
      const cases: [string, Promise<string> | string][] = [
        ['Bearer token expired', hsToken({ permissions: ['READ'] }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
        ['Bearer token signature is invalid', hsToken({ permissions: ['READ'] }, { secret: 'another secret of more than thirty-two characters' })],
        ['Bearer token claim \'iss\' is not accepted: unexpected "iss" claim value', hsToken({ permissions: ['READ'] }, { issuer: 'https://somebody-else.test' })],
        ['Bearer token claim \'aud\' is not accepted: unexpected "aud" claim value', hsToken({ permissions: ['READ'] }, { audience: 'another-api' })],
        ['Bearer token is signed with an algorithm that is not accepted', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'piggy', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600, permissions: ['READ'] })}.`],
        [
          'Bearer token claim \'exp\' is not accepted: missing required "exp" claim',
          new SignJWT({ permissions: ['READ'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('piggy').setIssuer(ISSUER).setAudience(AUDIENCE).sign(new TextEncoder().encode(HS256_SECRET)),
        ],
      ];
      for (const [message, token] of cases) {
        const graphql = await h.gql(DEFINITIONS, {}, bearer(await token));
        expect({ status: graphql.status, errors: graphql.errors }).toEqual({ status: 401, errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
        const rest = await h.rest('GET', '/task', undefined, bearer(await token));
        expect({ status: rest.status, body: rest.body }).toEqual({ status: 401, body: { type: 'AuthenticationException', message, code: null } });
      }
    });

    it('/engine-rest challenges with Basic and accepts a Basic user, an API key as Basic password, an API key and a JWT', async () => {
      const none = await h.rest('GET', '/version');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Basic realm="default"');
      expect(none.body).toEqual({ type: 'AuthenticationException', message: 'Authentication required', code: null });

      const wrongPassword = await h.rest('GET', '/version', undefined, basic('kermit', 'not-his-password-at-all'));
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.message).toBe('Unknown user or wrong password');
      // A key is only good as the password of its own name.
      expect((await h.rest('GET', '/version', undefined, basic('kermit', ci.key))).status).toBe(401);

      for (const headers of [basic('kermit', KERMIT_PASSWORD), basic('ci', ci.key), bearer(ci.key), { 'x-api-key': reader.key }, bearer(await hsToken({ permissions: ['READ'] }))]) {
        const res = await h.rest('GET', '/version', undefined, headers);
        expect(res.status).toBe(200);
      }
      // The same identity's permissions hold on both APIs.
      const denied = await h.rest('POST', '/deployment/create', new FormData(), basic('kermit', KERMIT_PASSWORD));
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ type: 'AuthorizationException', message: "'kermit' lacks the DEPLOY permission needed to POST /deployment/create" });
    });

    describe('camunda-external-task-client-js', () => {
      let client: Client | null = null;
      afterEach(async () => {
        client?.stop();
        client = null;
        await eventually(async () => h.engine().externalTasks.waitingFetches === 0, 5000, "the worker's last poll to end");
      });

      it('a worker with BasicAuthInterceptor fetches and completes tasks as its Basic user', async () => {
        expect((await h.deployRest(bearer(ci.key), ['Auth.externalTask.bpmn'])).status).toBe(200);
        const started = await h.rest('POST', '/process-definition/key/authCharge/start', { businessKey: 'card-1' }, bearer(ci.key));
        expect(started.status).toBe(200);
        const errors: unknown[] = [];
        const seen: string[] = [];
        client = new Client({
          baseUrl: `${h.url()}/engine-rest`,
          workerId: 'basic-worker',
          autoPoll: false,
          interval: 20,
          asyncResponseTimeout: 1000,
          interceptors: new BasicAuthInterceptor({ username: 'worker', password: WORKER_PASSWORD }),
        });
        client.on('poll:error', (e: unknown) => errors.push(e));
        client.on('complete:error', (_t: unknown, e: unknown) => errors.push(e));
        client.subscribe('authCharge', async ({ task, taskService }) => {
          seen.push(task.businessKey!);
          await taskService.complete(task);
        });
        client.start();
        await eventually(async () => (await h.rest('GET', `/history/process-instance/${started.body.id}`, undefined, bearer(ci.key))).body.state === 'COMPLETED', 10_000, 'the instance to complete');
        expect(seen).toEqual(['card-1']);
        expect(errors).toEqual([]);
      });
    });

    it('a graphql-ws connection_init without credentials, or with wrong ones, is closed with 4401', async () => {
      for (const payload of [undefined, { authorization: 'Bearer not-a-key-of-this-node-000' }]) {
        const socket = h.rawSocket();
        const record = recordSocket(socket);
        await record.opened;
        socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
        await eventually(async () => record.closed, 5000, 'the socket to close');
        expect(record.closed!.code).toBe(4401);
        expect(record.closed!.reason).toBe(payload ? 'Unauthorized: Unknown API key' : 'Unauthorized: Authentication required');
        expect(record.messages).toEqual([]);
      }
    });

    it('graphql-ws takes credentials from the connection_init payload or the upgrade request, and serves subscriptions with them', async () => {
      for (const [headers, payload] of [
        [{}, { authorization: `Bearer ${reader.key}` }],
        [{}, { headers: { 'x-api-key': reader.key } }],
        [{ 'x-api-key': reader.key }, undefined],
      ] as const) {
        const socket = h.rawSocket(headers);
        const record = recordSocket(socket);
        await record.opened;
        socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
        await eventually(async () => record.messages.length > 0 || record.closed, 5000, 'the connection to be acknowledged');
        expect(record.messages).toEqual([{ type: 'connection_ack' }]);
      }

      await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), bearer(ci.key));
      const client = h.wsClient({ authorization: `Bearer ${await hsToken({ permissions: ['READ'] })}` });
      const events = await h.subscribe(client, `subscription { taskEvents(candidateGroup: "accounting") { kind taskDefinitionKey } }`);
      await h.gql(`mutation { startProcessInstance(input: { processDefinitionKey: "authApproval" }) { id } }`, {}, bearer(ci.key));
      await events.waitFor((r) => r.length === 1);
      expect(events.received).toEqual([{ taskEvents: { kind: 'CREATED', taskDefinitionKey: 'approve' } }]);
    });

    it('a graphql-ws connection is closed with 4401 when its token expires', async () => {
      const token = await hsToken({ permissions: ['READ'] }, { expiresIn: Math.floor(Date.now() / 1000) + 2 });
      const socket = h.rawSocket();
      const record = recordSocket(socket);
      await record.opened;
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await eventually(async () => record.messages.length > 0, 5000, 'the connection to be acknowledged');
      expect(record.messages).toEqual([{ type: 'connection_ack' }]);
      await eventually(async () => record.closed, 5000, 'the socket to close');
      expect(record.closed).toEqual({ code: 4401, reason: 'Unauthorized: Bearer token expired' });
    });
  },
);

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// Keys for the JWKS suite, and a file holding the public halves, read through the configuration loader.
const rsa = await generateKeyPair('RS256');
const ec = await generateKeyPair('ES256');
const stranger = await generateKeyPair('RS256');
const jwk = async (key: CryptoKey, kid: string, alg: string): Promise<JWK> => ({ ...(await exportJWK(key)), kid, alg, use: 'sig' });
const jwksDir = mkdtempSync(join(tmpdir(), 'cadenzaflow-jwks-'));
const jwksFile = join(jwksDir, 'jwks.json');
writeFileSync(jwksFile, JSON.stringify({ keys: [await jwk(rsa.publicKey, 'rsa-1', 'RS256'), await jwk(ec.publicKey, 'ec-1', 'ES256')] }));
afterAll(() => rmSync(jwksDir, { recursive: true, force: true }));

const signed = (key: CryptoKey, alg: string, kid: string, claims: Record<string, unknown> = { permissions: ['READ'] }) =>
  new SignJWT(claims).setProtectedHeader({ alg, kid }).setSubject('gonzo').setIssuer(ISSUER).setExpirationTime('5m').sign(key);

securedSuite(
  'authentication with a JWKS file',
  () => ({ auth: loadAuthOptions({ jwksFile, jwtIssuer: ISSUER, jwtTenantsClaim: 'https://cadenzaflow.test/tenants' }).options }),
  (h) => {
    it('RS256 and ES256 tokens signed with keys of the file are served; a key not in it, and HS256, are refused', async () => {
      expect((await h.gql(DEFINITIONS, {}, bearer(await signed(rsa.privateKey, 'RS256', 'rsa-1')))).errors).toBeUndefined();
      expect((await h.gql(DEFINITIONS, {}, bearer(await signed(ec.privateKey, 'ES256', 'ec-1')))).errors).toBeUndefined();

      const unknownKey = await h.gql(DEFINITIONS, {}, bearer(await signed(stranger.privateKey, 'RS256', 'rsa-2')));
      expect(unknownKey.errors).toEqual([{ message: 'Bearer token is signed with an unknown key', extensions: { code: 'UNAUTHENTICATED' } }]);
      // A key id of the file, but another key's signature.
      const forged = await h.gql(DEFINITIONS, {}, bearer(await signed(stranger.privateKey, 'RS256', 'rsa-1')));
      expect(forged.errors?.[0]?.message).toBe('Bearer token signature is invalid');
      const hs = await h.gql(DEFINITIONS, {}, bearer(await hs256Token({ permissions: ['READ'] }, { subject: 'gonzo', issuer: ISSUER })));
      expect(hs.errors?.[0]?.message).toBe('Bearer token is signed with an algorithm that is not accepted');
    });

    it('the tenants claim can be renamed, and a token bound to a tenant deploys into it', async () => {
      const token = await signed(rsa.privateKey, 'RS256', 'rsa-1', { permissions: ['READ', 'DEPLOY'], 'https://cadenzaflow.test/tenants': ['acme'] });
      const deployed = await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), bearer(token));
      expect(deployed.data?.deploy.processDefinitions).toEqual([expect.objectContaining({ key: 'authApproval', tenantId: 'acme' })]);
    });
  },
);

securedSuite(
  'anonymous access when configured',
  () => ({ auth: { anonymous: { permissions: ['READ'] }, apiKeys: [ci] } }),
  (h) => {
    it('requests without credentials are served with the anonymous grant only, and credentials that are sent are still checked', async () => {
      expect((await h.gql(DEFINITIONS)).errors).toBeUndefined();
      expect((await h.rest('GET', '/process-definition/count')).body).toEqual({ count: expect.any(Number) });

      const deploy = await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']));
      expect(deploy.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining("'anonymous' lacks the DEPLOY permission") });
      expect((await h.gql(DEPLOY, deployInput(['Auth.candidateTask.bpmn']), bearer(ci.key))).errors).toBeUndefined();

      expect((await h.gql(DEFINITIONS, {}, bearer('not-a-key-of-this-node-000'))).status).toBe(401);
      expect((await h.rest('GET', '/version', undefined, bearer('not-a-key-of-this-node-000'))).status).toBe(401);
    });
  },
);

describe('authentication configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cadenzaflow-auth-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('without credential sources the node runs anonymous with every permission; with API_KEYS_FILE it requires credentials', () => {
    const demo = loadConfig({ CADENZAFLOW_CONFIG: file('empty.json', {}) });
    expect(demo.authMode).toBe('anonymous');
    expect(demo.auth.anonymous?.permissions).toEqual(['READ', 'DEPLOY', 'START', 'OPERATE', 'WORK_TASKS']);

    const keys = file('keys.json', [{ name: 'ci', sha256: 'a'.repeat(64), permissions: ['deploy', 'read'], tenantIds: ['acme'] }]);
    const secured = loadConfig({ CADENZAFLOW_CONFIG: file('empty2.json', {}), API_KEYS_FILE: keys, JWT_SECRET: HS256_SECRET, JWT_AUDIENCE: 'a, b' });
    expect(secured.authMode).toBe('required');
    expect(secured.auth.anonymous).toBeNull();
    expect(secured.auth.apiKeys).toEqual([{ name: 'ci', sha256: 'a'.repeat(64), permissions: ['DEPLOY', 'READ'], tenantIds: ['acme'] }]);
    expect(secured.auth.jwt).toMatchObject({ secret: HS256_SECRET, audience: ['a', 'b'] });
  });

  it('a configuration mistake names the setting or file it is in', () => {
    const empty = file('empty3.json', {});
    expect(() => loadConfig({ CADENZAFLOW_CONFIG: empty, AUTH_MODE: 'required' })).toThrow('AUTH_MODE=required needs a credential source');
    expect(() => loadConfig({ CADENZAFLOW_CONFIG: empty, AUTH_MODE: 'sometimes' })).toThrow("AUTH_MODE must be anonymous or required, got 'sometimes'");
    expect(() => loadConfig({ CADENZAFLOW_CONFIG: empty, ANONYMOUS_PERMISSIONS: 'READ,FLY' })).toThrow("ANONYMOUS_PERMISSIONS: unknown permission 'FLY'");
    const typo = file('typo.json', [{ name: 'ci', key: 'k'.repeat(20), permissions: ['READ'], tenants: ['acme'] }]);
    expect(() => loadConfig({ CADENZAFLOW_CONFIG: empty, API_KEYS_FILE: typo })).toThrow(/API_KEYS_FILE .*typo\.json.*tenants/s);
    expect(() => loadAuthOptions({ jwksFile: join(dir, 'missing.json') })).toThrow(/JWKS_FILE .*missing\.json cannot be read/);
  });
});
