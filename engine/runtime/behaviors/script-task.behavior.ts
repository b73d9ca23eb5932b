import { BpmnError } from '../../errors.js';
import type { FlowNode, ScriptTaskNode } from '../../model/graph.js';
import { propagateBpmnError } from '../error-propagation.js';
import { runScript } from '../evaluation.js';
import { describe, leave, type Token } from '../operations.js';
import type { ActivityBehavior } from './behavior.js';

/** Script task: JavaScript in the sandbox or JUEL; the result goes to `camunda:resultVariable`. */
export class ScriptTaskBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const n = node as ScriptTaskNode;
    try {
      const result = await runScript({ ctx: t.ctx, inst: t.inst, exec: t.exec }, n.script, describe(node));
      if (n.resultVariable) t.ctx.setVariable(t.inst, t.exec, n.resultVariable, result);
    } catch (e) {
      if (e instanceof BpmnError) {
        await propagateBpmnError(t, node, e);
        return;
      }
      throw e;
    }
    leave(t, node);
  }
}
