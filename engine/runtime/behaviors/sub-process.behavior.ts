import { EngineError } from '../../errors.js';
import type { FlowNode, SubProcessNode } from '../../model/graph.js';
import { describe, scheduleStart, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Embedded subprocess: its scope execution starts at the subprocess's none start event. */
export class SubProcessBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    const n = node as SubProcessNode;
    const graph = t.inst.graph;
    const start = n.children.map((id) => graph.nodes.get(id)!).find((c) => c.type === 'startEvent' && c.eventDefinition.kind === 'none');
    if (!start) throw new EngineError('INTERNAL', `${describe(node)} has no none start event`);
    scheduleStart(t, start);
  }
}
