import { EngineError } from '../../errors.js';
import type { FlowNode } from '../../model/graph.js';
import { finishActivityInstance, scheduleStart, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/**
 * Link intermediate throw event: the token continues at the link catch event
 * of the same name in the same scope (a "go to" on one page of the diagram).
 */
export class LinkThrowBehavior implements ActivityBehavior {
  execute(t: Token, node: FlowNode): void {
    if (!('eventDefinition' in node) || node.eventDefinition.kind !== 'link') return;
    const name = node.eventDefinition.name;
    const graph = t.inst.graph;
    const siblings = node.parentId === null ? graph.children : (graph.nodes.get(node.parentId) as { children: readonly string[] }).children;
    const target = siblings
      .map((id) => graph.nodes.get(id)!)
      .find((n) => n.type === 'intermediateCatchEvent' && n.eventDefinition.kind === 'link' && n.eventDefinition.name === name);
    if (!target) throw new EngineError('MODEL_INVALID', `No link catch event named '${name}' in the scope of intermediateThrowEvent '${node.id}'`);
    finishActivityInstance(t.ctx, t.inst, t.exec, node, false, false);
    scheduleStart(t, target, { triggered: true });
  }
}
