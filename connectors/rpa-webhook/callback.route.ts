/**
 * The bot's callback: `POST /plugins/<plugin>/rpa/callback/<token>?signature=…`.
 * The signature is checked first (401 without one, 403 for a wrong one),
 * then the body is read as the bot's answer and completes the waiting call
 * once: 200 for the completing callback, 409 for a repeat of it, 410 when no
 * call waits for the token (answered before, timed out, or cancelled).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z, type PluginHost, type PluginRoute } from '../../plugins/index.js';
import type { PendingOutcome } from '../../engine/index.js';
import { verifySignature } from './signature.js';
import { CALLBACK_PATH, resolveSigningKey } from './config.js';
import type { RpaWebhook } from './rpa-webhook.connector.js';

/** What a bot sends back. */
export const botAnswer = z.discriminatedUnion('status', [
  /** The job succeeded: `outputs` are the result the activity's output parameters read. */
  z.object({ status: z.literal('success'), outputs: z.record(z.string(), z.unknown()).default({}) }),
  /** The job ended with a business error, thrown from the activity as a BPMN error; `variables` are set first. */
  z.object({ status: z.literal('businessError'), errorCode: z.string().min(1), errorMessage: z.string().optional(), variables: z.record(z.string(), z.unknown()).optional() }),
  /** The bot failed technically: the job is started again by a retry job (then an incident). */
  z.object({ status: z.literal('failure'), errorMessage: z.string().min(1), retries: z.number().int().min(0).optional(), retryDelayMs: z.number().int().min(0).optional() }),
]);

export type BotAnswer = z.output<typeof botAnswer>;

export function toOutcome(a: BotAnswer): PendingOutcome {
  switch (a.status) {
    case 'success':
      return { kind: 'result', output: a.outputs };
    case 'businessError':
      return { kind: 'bpmnError', errorCode: a.errorCode, ...(a.errorMessage !== undefined ? { errorMessage: a.errorMessage } : {}), ...(a.variables ? { variables: a.variables } : {}) };
    case 'failure':
      return { kind: 'failure', message: a.errorMessage, ...(a.retries !== undefined ? { retries: a.retries } : {}), ...(a.retryDelayMs !== undefined ? { retryDelayMs: a.retryDelayMs } : {}) };
  }
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function callbackRoute(kit: RpaWebhook, host: PluginHost): PluginRoute {
  return {
    method: 'POST',
    path: `${CALLBACK_PATH}/*`,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const marker = `${CALLBACK_PATH}/`;
      const at = url.pathname.indexOf(marker);
      let token: string;
      try {
        token = decodeURIComponent(url.pathname.slice(at + marker.length));
      } catch {
        return send(res, 400, { error: 'The callback URL is malformed' });
      }
      const header = req.headers['x-cadenzaflow-signature'];
      const signature = url.searchParams.get('signature') ?? (typeof header === 'string' ? header : null);
      if (!signature) return send(res, 401, { error: 'The callback is not signed' }, { 'www-authenticate': 'Signature' });
      const signing = resolveSigningKey(kit.config.callbackSecret, (name) => host.engine.connectors.secrets(name));
      if ('missing' in signing) {
        host.logger.error('RPA callback refused: the signing secret is not defined', { secret: signing.missing });
        return send(res, 503, { error: 'Callbacks cannot be verified right now' });
      }
      if (!token || !verifySignature(signing.key, token, signature)) {
        host.logger.warn('RPA callback with a wrong signature refused', { remote: req.socket.remoteAddress });
        return send(res, 403, { error: 'The callback signature is not valid' });
      }
      let text: string;
      try {
        text = await readBody(req, kit.config.maxBodyBytes);
      } catch (e) {
        if (e instanceof TooLarge) return send(res, 413, { error: `The callback body is larger than ${kit.config.maxBodyBytes} bytes` });
        throw e;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return send(res, 400, { error: 'The callback body is not JSON' });
      }
      const parsed = botAnswer.safeParse(json);
      if (!parsed.success) {
        return send(res, 400, { error: 'The callback body is not a valid answer', problems: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`) });
      }
      let result;
      try {
        result = await kit.answers.deliver(host.engine, token, toOutcome(parsed.data));
      } catch (e) {
        host.logger.error('RPA callback could not be applied; the bot may call again', { error: (e as Error).message });
        return send(res, 503, { error: 'The callback could not be applied right now; call again' }, { 'retry-after': '1' });
      }
      if (result === 'completed') return send(res, 200, { status: 'accepted' });
      if (result === 'replayed') return send(res, 409, { error: 'This callback was already accepted' });
      return send(res, 410, { error: 'No call is waiting for this callback: it was answered, timed out or cancelled' });
    },
  };
}
