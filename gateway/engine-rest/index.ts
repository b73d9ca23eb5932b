/**
 * CadenzaFlow's Camunda 7 compatible REST API (`/engine-rest`): HTTP ⇄ engine
 * API mapping only, no BPMN semantics. Mount the handler in a node:http
 * server; it answers every path under its base path (also the
 * `/engine/default/…` form Camunda serves for named engines) and leaves the
 * rest to the caller.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { EngineError, type Engine } from '../../engine/index.js';
import { ANONYMOUS_FULL_ACCESS, ALL_PERMISSIONS, IdentityAccess, requireAny, type Access } from '../../schema/access.js';
import { registerConditionRoutes } from './condition.js';
import { registerDeploymentRoutes } from './deployment.js';
import { ENGINE_NAME, registerEngineRoutes } from './engine.js';
import { RestError, errorResponse } from './errors.js';
import { registerEventSubscriptionRoutes } from './event-subscription.js';
import { registerExecutionRoutes } from './execution.js';
import { registerExternalTaskRoutes } from './external-task.js';
import { registerFormRoutes } from './form.js';
import { registerHistoryRoutes } from './history.js';
import { registerIncidentRoutes } from './incident.js';
import { registerJobRoutes } from './job.js';
import { registerJobDefinitionRoutes } from './job-definition.js';
import { parseJson, readBody, sendJson } from './json.js';
import { registerMessageRoutes } from './message.js';
import { registerModificationRoutes } from './modification.js';
import { resolveOptions, type EngineRestOptions, type ResolvedOptions } from './options.js';
import { registerProcessDefinitionRoutes } from './process-definition.js';
import { registerProcessInstanceRoutes } from './process-instance.js';
import { Router, type RestRequest, type RestResponse } from './router.js';
import { registerSignalRoutes } from './signal.js';
import { registerTaskRoutes } from './task.js';
import { registerVariableInstanceRoutes } from './variable-instance.js';

export type { EngineRestOptions } from './options.js';
export { CAMUNDA_VERSION } from './engine.js';

/** Handles a request when its path is under the base path (returns true), otherwise returns false and does nothing. */
export type EngineRestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Accept, Authorization, Content-Type';

export function createEngineRestHandler(engine: Engine, opts: EngineRestOptions = {}): EngineRestHandler {
  const options = resolveOptions(opts);
  const router = createRouter();

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path !== options.basePath && !path.startsWith(`${options.basePath}/`)) return false;
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    handle(engine, router, options, req, res, path.slice(options.basePath.length), query).catch((e: unknown) => {
      // Only a failure while writing the response gets here.
      if (!res.headersSent) sendJson(res, 500, errorResponse(e).body);
      else res.destroy(e as Error);
    });
    return true;
  };
}

/** Every route of the API, each with the permission it needs. */
export function createRouter(): Router {
  const router = new Router();
  registerEngineRoutes(router);
  registerDeploymentRoutes(router);
  registerProcessDefinitionRoutes(router);
  registerProcessInstanceRoutes(router);
  registerModificationRoutes(router);
  registerExecutionRoutes(router);
  registerVariableInstanceRoutes(router);
  registerTaskRoutes(router);
  registerHistoryRoutes(router);
  registerMessageRoutes(router);
  registerSignalRoutes(router);
  registerConditionRoutes(router);
  registerJobRoutes(router);
  registerJobDefinitionRoutes(router);
  registerIncidentRoutes(router);
  registerEventSubscriptionRoutes(router);
  registerExternalTaskRoutes(router);
  registerFormRoutes(router);
  return router;
}

/** CORS for browser tools (the Modeler's web version, Swagger UI, custom task lists). */
function corsHeaders(options: ResolvedOptions, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  if (options.corsAllowedOrigins === '*') return { 'access-control-allow-origin': '*' };
  if (options.corsAllowedOrigins.includes(origin)) return { 'access-control-allow-origin': origin, vary: 'Origin' };
  return {};
}

async function handle(
  engine: Engine,
  router: Router,
  options: ResolvedOptions,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  query: URLSearchParams,
): Promise<void> {
  const cors = corsHeaders(options, req);
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') {
    const requested = req.headers['access-control-request-headers'];
    sendJson(res, 204, undefined, {
      ...cors,
      allow: ALLOWED_METHODS,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': typeof requested === 'string' && requested ? requested : DEFAULT_ALLOWED_HEADERS,
      'access-control-max-age': '600',
    });
    return;
  }

  let response: RestResponse;
  try {
    let path = rawPath;
    let enginePrefix = '';
    // `/engine/{name}/…` addresses a named engine; `/engine` alone lists them.
    const named = /^\/engine\/([^/]+)(\/.*)?$/.exec(path);
    if (named) {
      const name = decodeURIComponent(named[1]!);
      if (name !== ENGINE_NAME) throw new RestError(404, 'RestException', `Process engine ${name} not available`);
      enginePrefix = `/engine/${ENGINE_NAME}`;
      path = named[2] ?? '/';
    }
    let userId: string | null = null;
    let access: Access = ANONYMOUS_FULL_ACCESS;
    if (options.authenticate) {
      const who = await options.authenticate(req);
      if (!who || 'rejected' in who) {
        const message = who ? who.rejected : 'Authentication required';
        sendJson(res, 401, { type: 'AuthenticationException', message, code: null }, { ...cors, 'www-authenticate': `Basic realm="${ENGINE_NAME}"` });
        return;
      }
      userId = who.userId;
      // A hook that only names the user (no access) grants everything, as before access existed.
      access = who.access ?? (userId === null ? ANONYMOUS_FULL_ACCESS : new IdentityAccess({ id: userId, kind: 'basic', groups: [], permissions: new Set(ALL_PERMISSIONS), tenantIds: null }));
    }
    const match = router.match(method, path);
    if (!match) throw new RestError(404, 'NotFoundException', `HTTP 404 Not Found: no resource for ${method} ${path}`);
    if (match.access !== 'AUTHENTICATED') requireAny(access, typeof match.access === 'string' ? [match.access] : match.access, `${method} ${enginePrefix}${path}`);
    let body: Promise<Buffer> | null = null;
    const raw = () => (body ??= readBody(req, options.maxBodyBytes));
    const secure = (req.socket as TLSSocket).encrypted === true;
    const r: RestRequest = {
      engine,
      req,
      params: match.params,
      query,
      userId,
      access,
      options,
      rootUrl: `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}${options.basePath}${enginePrefix}`,
      raw,
      json: async () => parseJson(await raw()),
    };
    response = await match.handler(r);
  } catch (e) {
    if (!(e instanceof RestError) && !(e instanceof EngineError)) options.onInternalError(e);
    const { status, body } = errorResponse(e);
    // A refused oversized upload is still arriving: close instead of reading it.
    sendJson(res, status, body, status === 413 ? { ...cors, connection: 'close' } : cors);
    return;
  }
  if (response.raw) {
    const data = typeof response.raw.data === 'string' ? Buffer.from(response.raw.data, 'utf8') : response.raw.data;
    res.writeHead(response.status, { ...cors, ...response.headers, 'content-type': response.raw.contentType, 'content-length': String(data.length) });
    res.end(data);
    return;
  }
  sendJson(res, response.status, response.body, { ...cors, ...response.headers });
}
