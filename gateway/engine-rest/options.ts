import type { IncomingMessage } from 'node:http';
import type { Access } from '../../schema/access.js';

/**
 * Who calls: `userId` goes into the engine's records (startUserId), `access`
 * decides what the caller may do (default: every permission, every tenant).
 * `{ rejected }` refuses credentials that were sent but are wrong.
 */
export type RestCaller = { userId: string | null; access?: Access } | { rejected: string };

/** Options of `createEngineRestHandler`. */
export interface EngineRestOptions {
  /** Where the API is mounted. Default `/engine-rest`, as Camunda's distributions. */
  basePath?: string;
  /**
   * Resolves the caller. Returning null (no credentials) or `{ rejected }`
   * answers 401 with a Basic challenge. Default: every request is anonymous
   * with every permission (an `Authorization` header is ignored); the server
   * installs one built from its `auth` options.
   */
  authenticate?: (req: IncomingMessage) => Promise<RestCaller | null>;
  /** Largest request body (deployments included). Default 32 MiB. */
  maxBodyBytes?: number;
  /**
   * Most rows one list request may return; also the page size when a request
   * gives no `maxResults`. A larger `maxResults` is refused with 400, as
   * Camunda does with `queryMaxResultsLimit`. Default 10 000.
   */
  maxResultsLimit?: number;
  /** Origins allowed by CORS: `'*'` (default) or a list of exact origins. */
  corsAllowedOrigins?: '*' | readonly string[];
  /**
   * Called with failures that are neither engine nor request errors (a bug,
   * the database gone) before they are answered with 500. Default: logs to stderr.
   */
  onInternalError?: (error: unknown) => void;
}

export interface ResolvedOptions {
  basePath: string;
  authenticate: ((req: IncomingMessage) => Promise<RestCaller | null>) | null;
  maxBodyBytes: number;
  maxResultsLimit: number;
  corsAllowedOrigins: '*' | readonly string[];
  onInternalError: (error: unknown) => void;
}

export function resolveOptions(opts: EngineRestOptions = {}): ResolvedOptions {
  return {
    basePath: (opts.basePath ?? '/engine-rest').replace(/\/+$/, ''),
    authenticate: opts.authenticate ?? null,
    maxBodyBytes: opts.maxBodyBytes ?? 32 * 1024 * 1024,
    maxResultsLimit: opts.maxResultsLimit ?? 10_000,
    corsAllowedOrigins: opts.corsAllowedOrigins ?? '*',
    onInternalError: opts.onInternalError ?? ((e) => console.error('engine-rest: internal error', e)),
  };
}
