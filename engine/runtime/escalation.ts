/**
 * Escalations: thrown by escalation intermediate throw and end events, caught
 * by escalation boundary events (on subprocesses and call activities) and
 * escalation event subprocesses, searched from the throwing scope outwards and
 * on into a calling process — the same code first, then a catch-all. Unlike
 * an error, an escalation nobody catches changes nothing, and after a
 * non-interrupting catch the thrower carries on.
 */
import type { BoundaryEventNode, StartEventNode } from '../model/graph.js';
import { triggerBoundary } from './boundary.js';
import type { CommandContext } from './command-context.js';
import { eventSubprocessStarts, scopeChildren, triggerEventSubprocess } from './event-subprocess.js';
import { innerBody } from './multi-instance.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc } from './state.js';

type Catcher = { inst: ProcessInstance; scope: ExecutionDoc; boundary?: BoundaryEventNode; start?: StartEventNode };

function matches(expected: string | undefined, code: string): 'exact' | 'all' | null {
  if (expected === undefined || expected === '') return 'all';
  return expected === code ? 'exact' : null;
}

function find(inst: ProcessInstance, from: ExecutionDoc, code: string): Catcher | null {
  let cur: ExecutionDoc | null = from;
  while (cur) {
    if (cur.scope) {
      let all: StartEventNode | null = null;
      for (const s of eventSubprocessStarts(inst, scopeChildren(inst, cur))) {
        if (s.eventDefinition.kind !== 'escalation') continue;
        const m = matches(s.eventDefinition.escalationCode, code);
        if (m === 'exact') return { inst, scope: cur, start: s };
        if (m === 'all') all ??= s;
      }
      if (all) return { inst, scope: cur, start: all };
    }
    if (cur.scope && cur.scopeActivityId) {
      const host = inst.graph.nodes.get(cur.scopeActivityId);
      if (host && !innerBody(inst, cur, host)) {
        let all: BoundaryEventNode | null = null;
        for (const id of host.boundaryEvents) {
          const b = inst.graph.nodes.get(id);
          if (!b || b.type !== 'boundaryEvent' || b.eventDefinition.kind !== 'escalation') continue;
          const m = matches(b.eventDefinition.escalationCode, code);
          if (m === 'exact') return { inst, scope: cur, boundary: b };
          if (m === 'all') all ??= b;
        }
        if (all) return { inst, scope: cur, boundary: all };
      }
    }
    cur = cur.parentId === null ? null : (inst.executions.get(cur.parentId) ?? null);
  }
  return null;
}

/** Returns true when the catch interrupted the thrower's scope (the thrower must not go on). */
export async function propagateEscalation(ctx: CommandContext, inst: ProcessInstance, from: ExecutionDoc, code: string): Promise<boolean> {
  let searchInst = inst;
  let searchFrom: ExecutionDoc = from;
  let found = find(searchInst, searchFrom, code);
  while (!found && searchInst.superInstanceId && searchInst.superExecutionId) {
    const parent = await ctx.loadInstance(searchInst.superInstanceId);
    const superExec = parent.executions.get(searchInst.superExecutionId);
    if (!superExec) break;
    searchInst = parent;
    searchFrom = superExec;
    found = find(searchInst, searchFrom, code);
  }
  if (!found) return false;
  const def = found.boundary ? found.boundary.eventDefinition : found.start!.eventDefinition;
  const vars: Record<string, unknown> = {};
  if (def.kind === 'escalation' && def.escalationCodeVariable) vars[def.escalationCodeVariable] = code;
  if (found.boundary) {
    await triggerBoundary(ctx, found.inst, found.scope, found.boundary, vars);
    return found.boundary.cancelActivity;
  }
  await triggerEventSubprocess(ctx, found.inst, found.scope, found.start!, vars);
  return found.start!.isInterrupting;
}
