import { JOB_TYPES } from './jobs.js';
import { parentActivityInstance } from './operations.js';
import type { ProcessInstance } from './process-instance.js';

/**
 * Camunda's transition instance: an execution waiting for an asynchronous
 * continuation job, before its activity starts (asyncBefore) or after it
 * ended (asyncAfter). Its id is the execution's, as in Camunda.
 */
export interface TransitionInstance {
  id: string;
  parentActivityInstanceId: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  processInstanceId: string;
  processDefinitionId: string;
  executionId: string;
  /** Deprecated in Camunda, kept in its REST shape: the activity id. */
  targetActivityId: string;
}

/** Camunda's runtime activity instance tree (`GET /process-instance/{id}/activity-instances`). */
export interface ActivityInstance {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityName: string | null;
  activityType: string;
  processInstanceId: string;
  processDefinitionId: string;
  executionIds: string[];
  childActivityInstances: ActivityInstance[];
  childTransitionInstances: TransitionInstance[];
}

export function activityInstanceTree(inst: ProcessInstance, typeOf: (activityId: string) => string): ActivityInstance {
  const root: ActivityInstance = {
    id: inst.id,
    parentActivityInstanceId: null,
    activityId: inst.definition.id,
    activityName: inst.graph.name ?? null,
    activityType: 'processDefinition',
    processInstanceId: inst.id,
    processDefinitionId: inst.definition.id,
    executionIds: [inst.id],
    childActivityInstances: [],
    childTransitionInstances: [],
  };
  const byId = new Map<string, ActivityInstance>([[inst.id, root]]);
  const parentOf = new Map<string, string>();
  for (const e of inst.executions.values()) {
    // A completed subprocess shows again while it is being compensated (Camunda's event scope execution).
    const ai = e.eventScope === false ? e.scopeAi : e.activityInstanceId;
    if (!ai || e.joined || ai === inst.id || !e.activityId || byId.has(ai)) continue;
    const node = inst.graph.nodes.get(e.activityId);
    const isBody = ai.startsWith(`${e.activityId}#multiInstanceBody:`);
    byId.set(ai, {
      id: ai,
      parentActivityInstanceId: e.parentActivityInstanceId ?? inst.id,
      activityId: isBody ? `${e.activityId}#multiInstanceBody` : e.activityId,
      activityName: node?.name ?? null,
      activityType: isBody ? 'multiInstanceBody' : typeOf(e.activityId),
      processInstanceId: inst.id,
      processDefinitionId: inst.definition.id,
      executionIds: [],
      childActivityInstances: [],
      childTransitionInstances: [],
    });
    parentOf.set(ai, e.parentActivityInstanceId ?? inst.id);
  }
  for (const e of inst.executions.values()) {
    if (e.parentId !== null && e.scope && e.scopeAi) byId.get(e.scopeAi)?.executionIds.push(e.id);
    else if (e.active && e.activityInstanceId && !e.joined) byId.get(e.activityInstanceId)?.executionIds.push(e.id);
  }
  for (const [ai, parent] of parentOf) (byId.get(parent) ?? root).childActivityInstances.push(byId.get(ai)!);
  for (const job of inst.jobs.values()) {
    if (job.type !== JOB_TYPES.asyncContinuation) continue;
    const e = inst.executions.get(job.executionId);
    if (!e) continue;
    const node = inst.graph.nodes.get(job.activityId);
    // asyncBefore of a multi-instance activity waits in front of its body
    const atBody = job.config['op'] === 'start' && node?.multiInstance !== undefined && !e.miBody && !isInnerInstance(inst, e, job.activityId);
    const parent = parentActivityInstance(inst, e) ?? inst.id;
    (byId.get(parent) ?? root).childTransitionInstances.push({
      id: e.id,
      parentActivityInstanceId: byId.has(parent) ? parent : inst.id,
      activityId: atBody ? `${job.activityId}#multiInstanceBody` : job.activityId,
      activityName: node?.name ?? null,
      activityType: atBody ? 'multiInstanceBody' : typeOf(job.activityId),
      processInstanceId: inst.id,
      processDefinitionId: inst.definition.id,
      executionId: e.id,
      targetActivityId: job.activityId,
    });
  }
  return root;
}

/** Is `e` an inner instance of the multi-instance activity (its parent is the body's scope execution)? */
function isInnerInstance(inst: ProcessInstance, e: { parentId: string | null }, activityId: string): boolean {
  const parent = e.parentId === null ? undefined : inst.executions.get(e.parentId);
  return parent?.miBody === true && parent.scopeActivityId === activityId;
}
