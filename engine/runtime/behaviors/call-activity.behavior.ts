import { BadUserInputError, NotFoundError } from '../../errors.js';
import type { CallActivityNode, CallMapping, FlowNode } from '../../model/graph.js';
import { plainValue } from '../../variables/convert.js';
import { evaluate, type Scope } from '../evaluation.js';
import { describe, leave, type Token } from '../operations.js';
import type { ProcessInstance } from '../process-instance.js';
import type { DeployedProcess } from '../services.js';
import { createInstance, startInstance } from '../start.js';
import type { ActivityBehavior } from './behavior.js';

function mapVariables(from: Scope, mappings: readonly CallMapping[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of mappings) {
    if (m.kind === 'all') {
      const vars = m.local ? from.exec.vars.map((v) => [v.name, from.ctx.getVariable(from.inst, from.exec, v.name)] as const) : [...from.ctx.getVariables(from.inst, from.exec)].map(([k, v]) => [k, plainValue(v)] as const);
      for (const [k, v] of vars) out[k] = v;
    } else if (m.kind === 'source') {
      out[m.target] = from.ctx.getVariable(from.inst, from.exec, m.source);
    } else {
      out[m.target] = evaluate(from, m.expression);
    }
  }
  return out;
}

/**
 * Call activity: starts the called process (binding latest, deployment,
 * version or versionTag) with `camunda:in` mappings and waits; when the
 * called instance completes, `camunda:out` mappings flow back and the
 * activity is left.
 */
export class CallActivityBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const n = node as CallActivityNode;
    const { ctx, inst, exec } = t;
    const scope: Scope = { ctx, inst, exec };
    const key = String(evaluate(scope, n.calledElement));
    const tenant = n.tenantId !== undefined ? (evaluate(scope, n.tenantId) as string | null) : inst.tenantId;
    let deployed: DeployedProcess | null;
    switch (n.binding) {
      case 'deployment':
        deployed = await ctx.services.definitionInDeployment(key, inst.definition.deploymentId);
        break;
      case 'version': {
        const version = Number(evaluate(scope, n.version!));
        if (!Number.isInteger(version)) throw new BadUserInputError(`calledElementVersion of ${describe(node)} is not a number`, 'calledElementVersion');
        deployed = await ctx.services.definitionByVersion(key, version, tenant);
        break;
      }
      case 'versionTag':
        deployed = await ctx.services.definitionByVersionTag(key, String(evaluate(scope, n.versionTag!)), tenant);
        break;
      default:
        deployed = await ctx.services.latestDefinition(key, tenant);
    }
    if (!deployed) {
      throw new NotFoundError(`Cannot start the called process of ${describe(node)}: no process definition with key '${key}' (binding ${n.binding}) is deployed`);
    }
    const vars = mapVariables(scope, n.inputs);
    const businessKey = n.businessKey !== undefined ? evaluate(scope, n.businessKey) : null;
    const sub = createInstance(ctx, deployed, {
      businessKey: businessKey === null || businessKey === undefined ? null : String(businessKey),
      superInstanceId: inst.id,
      superExecutionId: exec.id,
      rootInstanceId: inst.rootInstanceId,
    });
    exec.calledInstanceId = sub.id;
    ctx.history.activityUpdated(exec.activityInstanceId!, { calledProcessInstanceId: sub.id });
    await startInstance(ctx, sub, vars);
  }

  async subInstanceEnded(t: Token, node: FlowNode, sub: ProcessInstance): Promise<void> {
    const n = node as CallActivityNode;
    const vars = mapVariables({ ctx: t.ctx, inst: sub, exec: sub.root() }, n.outputs);
    for (const [k, v] of Object.entries(vars)) {
      const local = n.outputs.some((m) => m.local);
      if (local) t.ctx.setVariableLocal(t.inst, t.exec, k, v);
      else t.ctx.setVariable(t.inst, t.exec, k, v);
    }
    delete t.exec.calledInstanceId;
    leave(t, node);
  }
}
