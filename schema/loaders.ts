/**
 * Per-request DataLoaders: a page of instances asks for its children (tasks,
 * variables, definitions, jobs, …) one instance at a time, and each loader
 * turns the asks of one tick into one batched engine call. Created fresh for
 * every request (and every subscription event), so nothing cached outlives
 * the request that read it.
 */
import DataLoader from 'dataloader';
import type { Engine, IncidentRow, JobRow, ProcessDefinitionRow, ProcessInstanceInfo, TaskRow, TypedValue } from '../engine/index.js';
import { MAX_PAGE_SIZE } from './connection.js';

export interface Loaders {
  /** Process definitions by id (null when gone). */
  definition: DataLoader<string, ProcessDefinitionRow | null>;
  /** Running instances by id (null when not running). */
  runningInstance: DataLoader<string, ProcessInstanceInfo | null>;
  /** Open tasks of a running instance, oldest first, at most MAX_PAGE_SIZE. */
  tasksOfInstance: DataLoader<string, TaskRow[]>;
  /** Process-instance-level variables of a running instance. */
  variablesOfInstance: DataLoader<string, Record<string, TypedValue>>;
  /** Activities with a token in a running instance. */
  activeActivityIds: DataLoader<string, string[]>;
  /** Jobs of an instance, at most MAX_PAGE_SIZE. */
  jobsOfInstance: DataLoader<string, JobRow[]>;
  /** Open incidents of an instance, at most MAX_PAGE_SIZE. */
  incidentsOfInstance: DataLoader<string, IncidentRow[]>;
}

/** Groups rows by instance id, in the ids' order, each group cut to MAX_PAGE_SIZE. */
function byInstance<R extends { instanceId: string | null }>(ids: readonly string[], rows: readonly R[]): R[][] {
  const groups = new Map<string, R[]>(ids.map((id) => [id, []]));
  for (const r of rows) {
    const g = r.instanceId === null ? undefined : groups.get(r.instanceId);
    if (g && g.length < MAX_PAGE_SIZE) g.push(r);
  }
  return ids.map((id) => groups.get(id)!);
}

/**
 * Batched reads bound the rows they read by MAX_PAGE_SIZE per asked instance,
 * so one request never reads an unbounded result.
 */
export function createLoaders(engine: Engine): Loaders {
  const bound = (ids: readonly string[]) => ({ maxResults: ids.length * MAX_PAGE_SIZE });
  return {
    definition: new DataLoader(async (ids) => {
      const rows = await engine.findProcessDefinitions({ idIn: [...ids] });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    runningInstance: new DataLoader(async (ids) => {
      const rows = await engine.findProcessInstances({ idIn: [...ids] });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    tasksOfInstance: new DataLoader(async (ids) => {
      const tasks = await engine.getTasksOfInstances(ids, bound(ids).maxResults);
      return ids.map((id) => (tasks.get(id) ?? []).slice(0, MAX_PAGE_SIZE));
    }),
    variablesOfInstance: new DataLoader(async (ids) => {
      const vars = await engine.getVariablesOfInstances(ids);
      return ids.map((id) => vars.get(id) ?? {});
    }),
    activeActivityIds: new DataLoader(async (ids) => {
      const active = await engine.getActiveActivityIdsOfInstances(ids);
      return ids.map((id) => active.get(id) ?? []);
    }),
    jobsOfInstance: new DataLoader(async (ids) => byInstance(ids, await engine.findJobs({ instanceIdIn: [...ids] }, bound(ids), [{ by: 'instanceId' }, { by: 'id' }]))),
    incidentsOfInstance: new DataLoader(async (ids) => byInstance(ids, await engine.findIncidents({ instanceIdIn: [...ids] }, bound(ids)))),
  };
}
