/**
 * Conditional start events of processes. Camunda 7 never evaluates them on
 * its own: only `RuntimeService.createConditionEvaluation()` (REST `POST
 * /condition`) does, with the variables it is given, and every conditional
 * start event whose condition holds starts an instance there.
 */
import { ExpressionError } from '../errors.js';
import { PropertyNotFound } from '../expressions/failures.js';
import type { StartEventNode } from '../model/graph.js';
import { CommandContext } from './command-context.js';
import { conditionHolds } from './conditional.js';
import type { DeployedProcess, RuntimeServices } from './services.js';
import { createInstance } from './start.js';

export interface EvaluateConditionsInput {
  /** The variables the conditions see; every started instance gets them. */
  variables?: Record<string, unknown>;
  /** Business key of the started instances. */
  businessKey?: string | null;
  /** Only this definition (any version, not only the latest) is evaluated. */
  processDefinitionId?: string | null;
  /** Only definitions of this tenant. */
  tenantId?: string | null;
  /** Only definitions without a tenant. */
  withoutTenantId?: boolean;
  /** Only definitions of these tenants (the tenants a caller may see); those without a tenant are left out. */
  tenantIdIn?: readonly string[];
  userId?: string | null;
}

/** A conditional start event whose condition held. */
export interface ConditionalStartMatch {
  readonly definitionId: string;
  readonly activityId: string;
}

/** The process-level conditional start events of a graph. */
export function conditionalStartEvents(deployed: DeployedProcess): StartEventNode[] {
  const out: StartEventNode[] = [];
  for (const id of deployed.graph.children) {
    const node = deployed.graph.nodes.get(id);
    if (node?.type === 'startEvent' && node.eventDefinition.kind === 'conditional') out.push(node);
  }
  return out;
}

/**
 * Evaluates the given start events of one definition against `variables`, as
 * Camunda does on a temporary execution holding only those variables: a start
 * event with `camunda:variableName` needs that variable among them, and a
 * condition naming a variable that is not there is false rather than an error.
 * The temporary instance is never committed.
 */
export async function matchingStartEvents(
  services: RuntimeServices,
  deployed: DeployedProcess,
  starts: readonly StartEventNode[],
  variables: Record<string, unknown>,
): Promise<ConditionalStartMatch[]> {
  const ctx = new CommandContext(services, null, false);
  const inst = createInstance(ctx, deployed, {});
  const root = inst.root();
  for (const [name, value] of Object.entries(variables)) ctx.setVariableLocal(inst, root, name, value);
  const out: ConditionalStartMatch[] = [];
  for (const start of starts) {
    const definition = start.eventDefinition;
    if (definition.kind !== 'conditional') continue;
    if (definition.variableName && !(definition.variableName in variables)) continue;
    if (await tryCondition(() => conditionHolds({ ctx, inst, exec: root }, definition.condition, `the condition of startEvent '${start.id}'`))) {
      out.push({ definitionId: deployed.definition.id, activityId: start.id });
    }
  }
  return out;
}

async function tryCondition(evaluate: () => Promise<boolean>): Promise<boolean> {
  try {
    return await evaluate();
  } catch (e) {
    // Not every condition can see its variables in every request (Camunda's ConditionalEventDefinition.tryEvaluate).
    if (e instanceof ExpressionError && e.cause instanceof PropertyNotFound) return false;
    throw e;
  }
}
