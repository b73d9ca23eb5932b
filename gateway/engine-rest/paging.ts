/**
 * `firstResult`/`maxResults` paging and `sortBy`/`sortOrder` sorting. Paging
 * always comes from the URL, also for POST queries, as in Camunda.
 */
import type { Page, Sorting } from '../../engine/index.js';
import { badParameter, invalidRequest, unsupported } from './errors.js';
import { bodyParams, queryParams, type Params, type SortSpec } from './params.js';
import { asObject } from './json.js';
import { ok, type RestRequest, type RestResponse } from './router.js';

/**
 * The page a list request asks for, bounded by `limit`; null when it asks for
 * no rows at all (`maxResults=0`, what the Camunda Modeler's connection check
 * sends), so the caller can answer `[]` without a query.
 */
export function pageOf(query: URLSearchParams, limit: number): Required<Page> | null {
  const int = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n)) throw badParameter(name, raw);
    return n;
  };
  const firstResult = int('firstResult') ?? 0;
  const maxResults = int('maxResults');
  if (maxResults === 0) return null;
  if (maxResults !== undefined && maxResults > limit) throw invalidRequest(400, `Max results limit of ${limit} exceeded!`);
  return { firstResult, maxResults: maxResults ?? limit };
}

/**
 * Maps Camunda's sort keys to the store's: `allowed[camundaKey]` is the store
 * field, or null for a key Camunda knows but this engine cannot sort by yet.
 */
export function sortingOf<F extends string>(specs: readonly SortSpec[], allowed: Readonly<Record<string, F | null>>): Sorting<F>[] | undefined {
  if (specs.length === 0) return undefined;
  return specs.map((s) => {
    if (!Object.hasOwn(allowed, s.sortBy)) throw badParameter('sortBy', s.sortBy);
    const by = allowed[s.sortBy];
    if (by === null || by === undefined) throw unsupported(`Sorting by '${s.sortBy}'`);
    return { by, order: s.sortOrder };
  });
}

/** Camunda's CountResultDto. */
export const countOf = (count: number): RestResponse => ok({ count });

/** The filters of a query request: URL parameters for GET, the JSON body for POST. */
export async function filtersOf(r: RestRequest): Promise<Params> {
  return r.req.method === 'POST' ? bodyParams(asObject(await r.json())) : queryParams(r.query);
}

/** Answers a list request: `[]` without a query for `maxResults=0`, else one bounded page. */
export async function listPage<T>(r: RestRequest, fetch: (page: Required<Page>) => Promise<T[]>): Promise<RestResponse> {
  const page = pageOf(r.query, r.options.maxResultsLimit);
  return ok(page ? await fetch(page) : []);
}
