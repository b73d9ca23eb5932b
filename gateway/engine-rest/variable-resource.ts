/**
 * The variables sub-resource Camunda mounts under process instances,
 * executions and tasks (AbstractVariablesResource): `GET …` (all), `POST …`
 * (modifications and deletions), `GET|PUT|DELETE …/{name}`, with Camunda's
 * messages ("process instance variable with name x does not exist").
 */
import type { TypedValue } from '../../engine/index.js';
import { invalidRequest, withContext } from './errors.js';
import { asObject } from './json.js';
import { noContent, ok, type RestRequest, type RouteAccess, type Router } from './router.js';
import { deserializeParam, fromVariableValueDto, patchOf, toVariableMapDto, toVariableValueDto } from './variables.js';

export interface VariableScope {
  /** How Camunda names the owner in messages: 'process instance', 'execution', 'task'. */
  typeName: string;
  /** What changes need (reads need READ). */
  write: RouteAccess;
  /**
   * Refuses the caller for this owner, inside the same error handling as the
   * command: an owner of a hidden tenant fails as a missing one, and `write`
   * may apply further rules (task work rules).
   */
  guard(r: RestRequest, id: string, write: boolean): Promise<void>;
  get(r: RestRequest, id: string): Promise<Record<string, TypedValue>>;
  set(r: RestRequest, id: string, variables: Record<string, TypedValue>): Promise<void>;
  remove(r: RestRequest, id: string, names: string[]): Promise<void>;
  /** Sets and removes in one command (`POST …/variables`). */
  modify(r: RestRequest, id: string, variables: Record<string, TypedValue>, removals: string[]): Promise<void>;
}

/** Mounts the variables resource at `${base}/:id/${segment}`. */
export function registerVariableRoutes(router: Router, base: string, segment: string, scope: VariableScope): void {
  const path = `${base}/:id/${segment}`;

  const read = async (r: RestRequest, id: string) => {
    await scope.guard(r, id, false);
    return scope.get(r, id);
  };

  router.get(path, 'READ', async (r) => ok(toVariableMapDto(await read(r, r.params['id']!), deserializeParam(r.query))));

  router.post(path, scope.write, async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    let patch: ReturnType<typeof patchOf>;
    try {
      patch = patchOf(body);
    } catch (e) {
      throw invalidRequest(400, `Cannot modify variables for ${scope.typeName}: ${(e as Error).message}`, e);
    }
    await withContext(`Cannot modify variables for ${scope.typeName} ${id}`, async () => {
      await scope.guard(r, id, true);
      await scope.modify(r, id, patch.modifications, patch.deletions);
    });
    return noContent();
  });

  router.get(`${path}/:name`, 'READ', async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    const vars = await withContext(`Cannot get ${scope.typeName} variable ${name}`, () => read(r, id));
    const tv = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (!tv) throw invalidRequest(404, `${scope.typeName} variable with name ${name} does not exist`);
    return ok(toVariableValueDto(tv, deserializeParam(r.query, 'deserializeValue')));
  });

  router.put(`${path}/:name`, scope.write, async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    const body = await r.json();
    await withContext(`Cannot put ${scope.typeName} variable ${name}`, async () => {
      const value = fromVariableValueDto(name, body);
      await scope.guard(r, id, true);
      await scope.set(r, id, { [name]: value });
    });
    return noContent();
  });

  router.delete(`${path}/:name`, scope.write, async (r) => {
    const { id, name } = r.params as { id: string; name: string };
    await withContext(`Cannot delete ${scope.typeName} variable ${name}`, async () => {
      await scope.guard(r, id, true);
      await scope.remove(r, id, [name]);
    });
    return noContent();
  });
}
