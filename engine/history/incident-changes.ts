/**
 * What a command did to the incidents of one instance: the difference between
 * the incidents as loaded and as they are now. Both the incident events and
 * the incident history are read from it, so they always agree.
 */
import type { ProcessInstance } from '../runtime/process-instance.js';
import type { IncidentDoc } from '../runtime/state.js';

export interface IncidentChanges {
  readonly created: readonly IncidentDoc[];
  readonly resolved: readonly IncidentDoc[];
  readonly deleted: readonly IncidentDoc[];
}

/**
 * Camunda deletes an incident together with its execution or instance
 * (IncidentEntity.delete: cancellation, an interrupting event, modification)
 * and resolves it in every other way it goes away while its execution goes
 * on (IncidentEntity.resolve: retries given back, its job run, an operator's
 * resolution, a late answer). Incidents opened and closed within one command,
 * or opened by a command that ended the instance, leave no trace. Null when
 * nothing changed.
 */
export function incidentChanges(inst: ProcessInstance): IncidentChanges | null {
  if (inst.incidents.size === 0 && inst.loadedIncidents.size === 0) return null;
  const created: IncidentDoc[] = [];
  const resolved: IncidentDoc[] = [];
  const deleted: IncidentDoc[] = [];
  if (!inst.ended) for (const x of inst.incidents.values()) if (!inst.loadedIncidents.has(x.id)) created.push(x);
  for (const x of inst.loadedIncidents.values()) {
    if (!inst.ended && inst.incidents.has(x.id)) continue;
    (inst.ended || inst.currentExecution(x.executionId) === null ? deleted : resolved).push(x);
  }
  return created.length || resolved.length || deleted.length ? { created, resolved, deleted } : null;
}
