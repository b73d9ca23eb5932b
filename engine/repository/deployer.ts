/**
 * Deployments: parse and validate every resource (all problems at once),
 * filter duplicates the way Camunda does, version each process key, and
 * store deployment, resources and definitions in one transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { uuidv7 } from '../ids.js';
import { BadUserInputError, ModelError, type ModelProblem } from '../errors.js';
import type { ProcessGraph } from '../model/graph.js';
import { parseBpmn } from '../model/index.js';
import type { ConnectorCheck } from '../model/validate.js';
import type { DeploymentRow, Mutation, ProcessDefinitionRow, ResourceRow, Store } from '../persistence/store.js';
import type { Clock } from '../runtime/services.js';

export interface DeployResource {
  name: string;
  content: string | Buffer;
}

export interface DeployInput {
  name?: string | null;
  source?: string | null;
  tenantId?: string | null;
  resources: DeployResource[];
  /** Camunda's `enable-duplicate-filtering`: an unchanged deployment of the same name is not deployed again. */
  enableDuplicateFiltering?: boolean;
  /** Camunda's `deploy-changed-only`: only changed resources are deployed (implies duplicate filtering). */
  deployChangedOnly?: boolean;
}

export interface DeploymentResult {
  deployment: DeploymentRow;
  /** Definitions deployed by this call (empty when it was filtered as a duplicate). */
  processDefinitions: ProcessDefinitionRow[];
  resources: ResourceRow[];
  /** True when nothing new was deployed and `deployment` is the earlier one. */
  duplicate: boolean;
  warnings: ModelProblem[];
}

const BPMN_SUFFIXES = ['.bpmn', '.bpmn20.xml', '.bpmn2'];

export function isBpmnResource(name: string): boolean {
  const n = name.toLowerCase();
  return BPMN_SUFFIXES.some((s) => n.endsWith(s));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface DeployerOptions {
  store: Store;
  clock: Clock;
  maxResourceBytes: number;
  isHandlerKnown: (name: string) => boolean;
  checkConnector?: ConnectorCheck;
  /** Called for every definition stored, so the engine can cache its graph. */
  onDefinition: (row: ProcessDefinitionRow, graph: ProcessGraph) => void;
  /** Extra rows to write with a new definition (timer start event jobs, and removing those of the version it supersedes). */
  withDefinition?: (row: ProcessDefinitionRow, graph: ProcessGraph) => Promise<Mutation[]>;
}

export async function deploy(opts: DeployerOptions, input: DeployInput): Promise<DeploymentResult> {
  if (!input.resources || input.resources.length === 0) throw new BadUserInputError('A deployment needs at least one resource', 'resources');
  const tenantId = input.tenantId ?? null;
  const texts = input.resources.map((r) => ({ name: r.name, content: typeof r.content === 'string' ? r.content : r.content.toString('utf8') }));
  const names = new Set<string>();
  for (const r of texts) {
    if (!r.name) throw new BadUserInputError('Every deployment resource needs a name', 'resources');
    if (names.has(r.name)) throw new BadUserInputError(`The deployment contains the resource '${r.name}' twice`, 'resources');
    names.add(r.name);
  }

  let toDeploy = texts;
  if ((input.enableDuplicateFiltering || input.deployChangedOnly) && input.name) {
    // As Camunda's findLatestResourcesByDeploymentName: each resource is compared with the latest
    // resource of the same name in a deployment of this name, which need not be the newest
    // deployment (after a deployChangedOnly, unchanged resources live in older deployments).
    const previous: ResourceRow[] = [];
    for (const r of texts) {
      const hit = (await opts.store.getLatestResourcesByName(input.name, tenantId, [r.name])).find((p) => p.name === r.name);
      if (hit) previous.push(hit);
    }
    const prevByName = new Map(previous.map((p) => [p.name, p]));
    const changed = texts.filter((r) => prevByName.get(r.name)?.hash !== hash(r.content));
    if (changed.length === 0 && previous.length > 0 && (input.deployChangedOnly || previous.length === texts.length)) {
      const deployments = await Promise.all([...new Set(previous.map((p) => p.deploymentId))].map((id) => opts.store.getDeployment(id)));
      const newer = (a: DeploymentRow, b: DeploymentRow) => b.deployTime.getTime() > a.deployTime.getTime() || (b.deployTime.getTime() === a.deployTime.getTime() && b.id > a.id);
      const dep = deployments.reduce<DeploymentRow | null>((a, b) => (b && (!a || newer(a, b)) ? b : a), null);
      return { deployment: dep!, processDefinitions: [], resources: previous, duplicate: true, warnings: [] };
    }
    if (input.deployChangedOnly) toDeploy = changed;
  }

  const problems: ModelProblem[] = [];
  const compiled: { name: string; content: string; processes: readonly ProcessGraph[]; targetNamespace: string | null }[] = [];
  for (const r of toDeploy) {
    if (!isBpmnResource(r.name)) {
      compiled.push({ ...r, processes: [], targetNamespace: null });
      continue;
    }
    try {
      const res = await parseBpmn(r.content, { resourceName: r.name, maxBytes: opts.maxResourceBytes, isHandlerKnown: opts.isHandlerKnown, checkConnector: opts.checkConnector });
      problems.push(...res.warnings.map((w) => ({ ...w, resource: w.resource ?? r.name })));
      const ns = /targetNamespace\s*=\s*"([^"]*)"/.exec(r.content)?.[1] ?? null;
      compiled.push({ ...r, processes: res.processes, targetNamespace: ns });
    } catch (e) {
      if (e instanceof ModelError) problems.push(...e.problems.map((p) => ({ ...p, resource: p.resource ?? r.name })));
      else throw e;
    }
  }
  if (problems.some((p) => p.severity === 'error')) throw new ModelError(problems);

  const seenKeys = new Map<string, string>();
  for (const c of compiled) {
    for (const p of c.processes) {
      const other = seenKeys.get(p.id);
      if (other) {
        throw new ModelError([{ severity: 'error', message: `The deployment contains definitions with the same key '${p.id}' (id attribute), this is not allowed`, elementId: p.id, resource: c.name }]);
      }
      seenKeys.set(p.id, c.name);
    }
  }

  const deployment: DeploymentRow = {
    // Time-ordered, so deployments in the same millisecond (or under a frozen test clock) still sort by age for duplicate filtering.
    id: uuidv7(),
    name: input.name ?? null,
    source: input.source ?? null,
    tenantId,
    deployTime: opts.clock.now(),
  };
  const resources: ResourceRow[] = toDeploy.map((r) => ({ id: randomUUID(), deploymentId: deployment.id, name: r.name, content: r.content, hash: hash(r.content) }));
  const definitions: { row: ProcessDefinitionRow; graph: ProcessGraph }[] = [];
  for (const c of compiled) {
    for (const graph of c.processes) {
      const latest = await opts.store.getLatestProcessDefinition(graph.id, tenantId);
      const version = (latest?.version ?? 0) + 1;
      definitions.push({
        graph,
        row: {
          id: `${graph.id}:${version}:${randomUUID()}`,
          key: graph.id,
          version,
          versionTag: graph.versionTag ?? null,
          name: graph.name ?? null,
          category: c.targetNamespace,
          deploymentId: deployment.id,
          resourceName: c.name,
          tenantId,
          historyTimeToLive: graph.historyTimeToLive ?? null,
          suspended: false,
          executable: graph.isExecutable,
          startableInTasklist: graph.isStartableInTasklist,
        },
      });
    }
  }
  const mutations: Mutation[] = [
    { table: 'deployment', op: 'insert', row: deployment },
    ...resources.map((row): Mutation => ({ table: 'resource', op: 'insert', row })),
    ...definitions.map((d): Mutation => ({ table: 'processDefinition', op: 'insert', row: d.row })),
  ];
  if (opts.withDefinition) for (const d of definitions) mutations.push(...(await opts.withDefinition(d.row, d.graph)));
  await opts.store.commit(mutations);
  for (const d of definitions) opts.onDefinition(d.row, d.graph);
  return { deployment, processDefinitions: definitions.map((d) => d.row), resources, duplicate: false, warnings: problems };
}
