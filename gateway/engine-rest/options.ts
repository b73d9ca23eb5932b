import type { IncomingMessage } from 'node:http';

/** Options of `createEngineRestHandler`. */
export interface EngineRestOptions {
  /** Where the API is mounted. Default `/engine-rest`, as Camunda's distributions. */
  basePath?: string;
  /**
   * Resolves the caller. Returning null answers 401 with a Basic challenge.
   * Default: every request is anonymous (an `Authorization: Basic` header is
   * accepted and ignored until the gateway brings authentication).
   */
  authenticate?: (req: IncomingMessage) => Promise<{ userId: string } | null>;
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
  authenticate: ((req: IncomingMessage) => Promise<{ userId: string } | null>) | null;
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
