/**
 * Conditional events (intermediate catch, boundary, event subprocess start):
 * their condition is evaluated when variables of the instance change — only
 * for changes of `camunda:variableName` and of the `camunda:variableEvents`
 * kinds when those are given — and the event fires when it holds.
 */
import type { Condition, FlowNode } from '../model/graph.js';
import type { CommandContext } from './command-context.js';
import { evaluateCondition, runScript, type Scope } from './evaluation.js';
import { deliver } from './subscriptions.js';

export function conditionOf(node: FlowNode): { condition: Condition; variableName?: string; variableEvents: readonly string[] } | null {
  if (!('eventDefinition' in node) || node.eventDefinition.kind !== 'conditional') return null;
  return node.eventDefinition;
}

export async function conditionHolds(scope: Scope, condition: Condition, where: string): Promise<boolean> {
  if (condition.kind === 'expression') return evaluateCondition(scope, condition.expression, where);
  const r = await runScript(scope, condition.script, where);
  return r === true || r === 'true';
}

/** Evaluates the conditional subscriptions of every instance whose variables changed; true when one fired. */
export async function fireConditionalEvents(ctx: CommandContext): Promise<boolean> {
  let fired = false;
  const changes = [...ctx.variableChanges];
  ctx.variableChanges.clear();
  for (const [instanceId, list] of changes) {
    const inst = ctx.instances.get(instanceId);
    if (!inst || inst.ended) continue;
    for (const sub of [...inst.subscriptions.values()]) {
      if (sub.type !== 'conditional' || !inst.subscriptions.has(sub.id)) continue;
      const node = inst.graph.nodes.get(sub.activityId);
      const def = node ? conditionOf(node) : null;
      const exec = inst.executions.get(sub.executionId);
      if (!node || !def || !exec) continue;
      if (def.variableName && !list.some((c) => c.name === def.variableName)) continue;
      if (def.variableEvents.length && !list.some((c) => def.variableEvents.includes(c.event))) continue;
      if (!(await conditionHolds({ ctx, inst, exec }, def.condition, `the condition of ${node.type} '${node.id}'`))) continue;
      await deliver(ctx, inst, sub, {});
      fired = true;
    }
  }
  return fired;
}
