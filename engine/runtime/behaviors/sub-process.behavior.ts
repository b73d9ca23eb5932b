import { EngineError } from '../../errors.js';
import type { FlowNode, SubProcessNode } from '../../model/graph.js';
import { describe, scheduleStart, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';
import { registerEventSubprocesses, takeStartAt } from '../event-subprocess.js';

/** Embedded subprocess: its scope execution starts at the subprocess's none start event. */
export class SubProcessBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    const n = node as SubProcessNode;
    const graph = t.inst.graph;
    const triggeredAt = n.triggeredByEvent && t.exec.parentId ? takeStartAt(t.ctx, t.exec.parentId) : undefined;
    const start = triggeredAt
      ? graph.nodes.get(triggeredAt)
      : n.children.map((id) => graph.nodes.get(id)!).find((c) => c.type === 'startEvent' && c.eventDefinition.kind === 'none');
    if (!start) throw new EngineError('INTERNAL', `${describe(node)} has no none start event`);
    registerEventSubprocesses(t.ctx, t.inst, t.exec);
    scheduleStart(t, start);
  }
}
