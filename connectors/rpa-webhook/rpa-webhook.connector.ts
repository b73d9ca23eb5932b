/**
 * `rpa-webhook`: starts an RPA bot job with an HTTP call that carries a
 * callback URL, then waits for the bot to call back. The URL points at this
 * plugin's callback route on the gateway's port and is signed (HMAC-SHA256
 * over the call's correlation token), so only URLs handed out here are
 * accepted, once. A deadline ends the wait with a BPMN error or an incident.
 */
import { ConnectorError, defineConnector, PendingCallAnswers, z, type ConnectorContext, type ConnectorDefinition, type PluginHost, type PluginRoute } from '../../plugins/index.js';
import { describeRequest, sendHttp, setDefaultHeader, statusError, type HttpRequestSpec } from '../http/http-client.js';
import { headerMapInput, httpUrl, millis } from '../http/http-input.js';
import { callbackRoute } from './callback.route.js';
import { CALLBACK_PATH, resolveSigningKey, rpaWebhookConfig, type RpaWebhookConfig } from './config.js';
import { signToken } from './signature.js';

export const RPA_WEBHOOK_CONNECTOR_ID = 'rpa-webhook';

export const rpaWebhookInput = z.object({
  /** The bot orchestrator's endpoint that starts a job. */
  url: httpUrl,
  method: z.enum(['POST', 'PUT']).default('POST'),
  /** Extra request headers, e.g. `Authorization: Bearer {{secrets.BOT_TOKEN}}`. */
  headers: headerMapInput.optional(),
  /** The job's input, sent as a JSON object with the callback URL added. */
  payload: z.record(z.string(), z.unknown()).nullish(),
  /** The field of the JSON body that carries the callback URL. Default `callbackUrl`. */
  callbackUrlField: z.string().min(1).default('callbackUrl'),
  /** Milliseconds to wait for the callback; none means no deadline. */
  timeout: millis.nullish(),
  /** When set, a missed deadline throws this BPMN error; otherwise it raises an incident (a late callback still completes the call). */
  timeoutErrorCode: z.string().min(1).nullish(),
  timeoutErrorMessage: z.string().nullish(),
});

export type RpaWebhookInput = z.output<typeof rpaWebhookInput>;

export interface RpaWebhookOptions {
  /** How long a callback for a token nobody waits for is tried again (it may overtake its call's commit), ms. Default 3 000. */
  answerGraceMs?: number;
}

/**
 * The connector and its callback route, which share the plugin host (for
 * the route's URL and the engine) and the memory of answered callbacks.
 */
export class RpaWebhook {
  private host: PluginHost | null = null;
  private cfg: RpaWebhookConfig = rpaWebhookConfig.parse({});
  readonly answers: PendingCallAnswers;
  readonly connector: ConnectorDefinition<typeof rpaWebhookInput>;

  constructor(options: RpaWebhookOptions = {}) {
    this.answers = new PendingCallAnswers({ graceMs: options.answerGraceMs ?? 3_000 });
    this.connector = defineConnector({
      id: RPA_WEBHOOK_CONNECTOR_ID,
      version: '1.0.0',
      name: 'RPA bot (webhook callback)',
      description: 'Starts an RPA bot job over HTTP and waits for its signed callback.',
      input: rpaWebhookInput,
      target: (input) => new URL(input.url).origin,
      execute: (input: RpaWebhookInput, ctx: ConnectorContext) => this.start(input, ctx),
    });
  }

  /** Takes the plugin's configuration and route URL (from `engineWillStart` or the routes). */
  attach(host: PluginHost): void {
    const raw = host.config['rpaWebhook'] ?? {};
    const r = rpaWebhookConfig.safeParse(raw);
    if (!r.success) {
      throw new Error(`Invalid rpaWebhook plugin configuration: ${r.error.issues.map((i) => `rpaWebhook${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`).join('; ')}`);
    }
    this.cfg = r.data;
    // A host without a server (hooks run before the gateway listens) must not erase a known URL.
    if (host.routesUrl !== null || this.host === null) this.host = host;
    else this.host = { ...host, routesUrl: this.host.routesUrl };
  }

  /** The callback route, served under `/plugins/<plugin name>`. */
  routes(host: PluginHost): PluginRoute[] {
    this.attach(host);
    return [callbackRoute(this, host)];
  }

  get config(): RpaWebhookConfig {
    return this.cfg;
  }

  private callbackBase(): string | null {
    const base = this.cfg.publicUrl ?? this.host?.routesUrl ?? null;
    return base ? base.replace(/\/$/, '') : null;
  }

  private async start(input: RpaWebhookInput, ctx: ConnectorContext) {
    const where = `Connector '${RPA_WEBHOOK_CONNECTOR_ID}' of activity '${ctx.activityId}'`;
    const base = this.callbackBase();
    if (!base) {
      throw new ConnectorError(RPA_WEBHOOK_CONNECTOR_ID, `${where} has no callback URL to give the bot: no gateway serves plugin routes here and rpaWebhook.publicUrl is not configured`, { retryable: false });
    }
    const signing = resolveSigningKey(this.cfg.callbackSecret, (name) => ctx.secret(name));
    if ('missing' in signing) {
      throw new ConnectorError(RPA_WEBHOOK_CONNECTOR_ID, `${where}: secret '${signing.missing}' that signs callback URLs (rpaWebhook.callbackSecret) is not defined`, { retryable: false });
    }
    const token = ctx.correlationToken;
    const callbackUrl = `${base}${CALLBACK_PATH}/${encodeURIComponent(token)}?signature=${signToken(signing.key, token)}`;
    const headers: Record<string, string> = { ...(input.headers ?? {}) };
    setDefaultHeader(headers, 'Content-Type', 'application/json');
    setDefaultHeader(headers, 'Accept', 'application/json');
    setDefaultHeader(headers, 'Idempotency-Key', ctx.idempotencyKey);
    setDefaultHeader(headers, 'X-Callback-Url', callbackUrl);
    const spec: HttpRequestSpec = {
      connectorId: RPA_WEBHOOK_CONNECTOR_ID,
      activityId: ctx.activityId,
      method: input.method,
      url: input.url,
      headers,
      body: JSON.stringify({ ...(input.payload ?? {}), [input.callbackUrlField]: callbackUrl }),
      signal: ctx.signal,
    };
    const answer = await sendHttp(spec);
    if (answer.statusCode < 200 || answer.statusCode >= 300) throw statusError(spec, answer);
    ctx.logger.info('RPA bot job started; waiting for its callback', { activityId: ctx.activityId, processInstanceId: ctx.processInstanceId, request: describeRequest(spec), status: answer.statusCode });
    return ctx.pending({
      ...(input.timeout != null ? { timeoutMs: input.timeout } : {}),
      onTimeout:
        input.timeoutErrorCode != null
          ? { kind: 'bpmnError', errorCode: input.timeoutErrorCode, ...(input.timeoutErrorMessage != null ? { errorMessage: input.timeoutErrorMessage } : {}) }
          : { kind: 'incident', message: input.timeoutErrorMessage ?? `The RPA bot started by ${input.method} ${input.url} did not call back within ${input.timeout} ms` },
    });
  }
}
