/**
 * A tiny router over node:http: routes are `METHOD /path/:param` patterns;
 * a static segment beats a parameter at the same position (so
 * `/process-definition/count` wins over `/process-definition/:id`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../../engine/index.js';
import type { Access, Permission } from '../../schema/access.js';
import type { ResolvedOptions } from './options.js';

/**
 * What a route needs, checked before its handler runs: a permission, any of
 * several, or just an authenticated caller. Every route declares one.
 */
export type RouteAccess = Permission | readonly Permission[] | 'AUTHENTICATED';

export interface RestRequest {
  readonly engine: Engine;
  readonly req: IncomingMessage;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** From `options.authenticate`; null when anonymous. */
  readonly userId: string | null;
  /** What the caller may do and see (tenants); handlers check objects' tenants with it. */
  readonly access: Access;
  readonly options: ResolvedOptions;
  /** The REST root as the client addressed it, e.g. `http://host:8080/engine-rest`, for links. */
  readonly rootUrl: string;
  /** The parsed JSON body (`null` when empty). */
  json(): Promise<unknown>;
  /** The raw body, for multipart uploads. */
  raw(): Promise<Buffer>;
}

export interface RestResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is instead of JSON (deployment resource data). */
  raw?: { data: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export type RouteHandler = (r: RestRequest) => Promise<RestResponse>;

export const ok = (body: unknown): RestResponse => ({ status: 200, body });
export const noContent = (): RestResponse => ({ status: 204 });

/** Camunda's HATEOAS link on created resources: `{ method, href, rel }`. */
export function selfLink(r: RestRequest, path: string): { method: string; href: string; rel: string } {
  return { method: 'GET', href: `${r.rootUrl}${path}`, rel: 'self' };
}

interface Route {
  method: string;
  segments: string[];
  access: RouteAccess;
  handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  access: RouteAccess;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, access: RouteAccess, handler: RouteHandler): this {
    this.routes.push({ method, segments: split(pattern), access, handler });
    return this;
  }

  get(pattern: string, access: RouteAccess, handler: RouteHandler): this {
    return this.add('GET', pattern, access, handler);
  }
  post(pattern: string, access: RouteAccess, handler: RouteHandler): this {
    return this.add('POST', pattern, access, handler);
  }
  put(pattern: string, access: RouteAccess, handler: RouteHandler): this {
    return this.add('PUT', pattern, access, handler);
  }
  delete(pattern: string, access: RouteAccess, handler: RouteHandler): this {
    return this.add('DELETE', pattern, access, handler);
  }

  /** Every route with what it needs, for documentation and tests. */
  list(): { method: string; pattern: string; access: RouteAccess }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: `/${r.segments.join('/')}`, access: r.access }));
  }

  /** The most specific route for the method and path, or null. */
  match(method: string, path: string): RouteMatch | null {
    const parts = split(path);
    let best: { route: Route; params: Record<string, string>; score: string } | null = null;
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let score = '';
      let matched = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i]!;
        if (seg.startsWith(':')) {
          let value: string;
          try {
            value = decodeURIComponent(parts[i]!);
          } catch {
            matched = false;
            break;
          }
          params[seg.slice(1)] = value;
          score += '0';
        } else if (seg === parts[i]) {
          score += '1';
        } else {
          matched = false;
          break;
        }
      }
      if (matched && (!best || score > best.score)) best = { route, params, score };
    }
    return best ? { handler: best.route.handler, access: best.route.access, params: best.params } : null;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}
