/**
 * The variables sub-resource Camunda mounts under process instances,
 * executions and tasks (AbstractVariablesResource): `GET …` (all), `POST …`
 * (modifications and deletions), `GET|PUT|DELETE …/{name}`, with Camunda's
 * messages ("process instance variable with name x does not exist").
 */
import type { TypedValue } from '../../engine/index.js';
import { invalidRequest, withContext } from './errors.js';
import { asObject } from './json.js';
import { noContent, ok, type RestRequest, type Router } from './router.js';
import { deserializeParam, fromVariableValueDto, patchOf, toVariableMapDto, toVariableValueDto } from './variables.js';

export interface VariableScope {
  /** How Camunda names the owner in messages: 'process instance', 'execution', 'task'. */
  typeName: string;
  get(r: RestRequest, id: string): Promise<Record<string, TypedValue>>;
  set(r: RestRequest, id: string, variables: Record<string, TypedValue>): Promise<void>;
  remove(r: RestRequest, id: string, names: string[]): Promise<void>;
  /** Sets and removes in one command (`POST …/variables`). */
  modify(r: RestRequest, id: string, variables: Record<string, TypedValue>, removals: string[]): Promise<void>;
}

/** Mounts the variables resource at `${base}/:id/${segment}`. */
export function registerVariableRoutes(router: Router, base: string, segment: string, scope: VariableScope): void {
  const path = `${base}/:id/${segment}`;

  router.get(path, async (r) => ok(toVariableMapDto(await scope.get(r, r.params['id']!), deserializeParam(r.query))));

  router.post(path, async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    let patch: ReturnType<typeof patchOf>;
    try {
      patch = patchOf(body);
    } catch (e) {
      throw invalidRequest(400, `Cannot modify variables for ${scope.typeName}: ${(e as Error).message}`, e);
    }
    await withContext(`Cannot modify variables for ${scope.typeName} ${id}`, () => scope.modify(r, id, patch.modifications, patch.deletions));
    return noContent();
  });

  router.get(`${path}/:name`, async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    const vars = await withContext(`Cannot get ${scope.typeName} variable ${name}`, () => scope.get(r, id));
    const tv = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (!tv) throw invalidRequest(404, `${scope.typeName} variable with name ${name} does not exist`);
    return ok(toVariableValueDto(tv, deserializeParam(r.query, 'deserializeValue')));
  });

  router.put(`${path}/:name`, async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    const body = await r.json();
    await withContext(`Cannot put ${scope.typeName} variable ${name}`, async () => {
      await scope.set(r, id, { [name]: fromVariableValueDto(name, body) });
    });
    return noContent();
  });

  router.delete(`${path}/:name`, async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    await withContext(`Cannot delete ${scope.typeName} variable ${name}`, () => scope.remove(r, id, [name]));
    return noContent();
  });
}
