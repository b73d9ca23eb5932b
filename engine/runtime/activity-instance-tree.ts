import type { ProcessInstance } from './process-instance.js';

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
  childTransitionInstances: never[];
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
  return root;
}
