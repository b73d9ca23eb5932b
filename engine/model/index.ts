/**
 * BPMN 2.0 XML (Camunda 7 dialect) → validated, immutable process graphs.
 */
import { ModelError, type ModelProblem } from '../errors.js';
import { compileDefinitions } from './compile.js';
import { deepFreeze } from './freeze.js';
import type { CompiledResource, ProcessGraph } from './graph.js';
import { indexLocations } from './locations.js';
import { DEFAULT_MAX_BYTES, checkBeforeReading, readDefinitions, reportRemainingReferences } from './parse.js';
import { ProblemList } from './problems.js';
import { validateProcess, type ConnectorCheck } from './validate.js';

export type * from './graph.js';
export { CAMUNDA_NAMESPACE, CAMUNDA_NAMESPACE_ALIASES, DEFAULT_MAX_BYTES } from './parse.js';
export { EXECUTED_SCRIPT_LANGUAGES, SUPPORTED, isSupported, type Feature, type SupportKey } from './support.js';

export interface ParseOptions {
  /** Name of the resource in the deployment, carried by every problem. */
  resourceName: string;
  /** Largest accepted resource in bytes of UTF-8; larger → ModelError. Default 10 MiB. */
  maxBytes?: number;
  /**
   * Is a handler registered under this name (a camunda:class value, or the
   * bean name of a simple delegateExpression like `${myBean}`)? An unknown
   * one gives a warning naming it. Default: every name is known.
   */
  isHandlerKnown?: (name: string) => boolean;
  /** Checks `camunda:connector` ids and static inputs at deployment (see ConnectorCheck). Default: not checked. */
  checkConnector?: ConnectorCheck;
}

/**
 * Parses, compiles and validates one BPMN resource. Throws a ModelError
 * carrying every problem found (errors and warnings) when any error exists;
 * otherwise returns the processes (non-executable ones too, flagged by
 * `isExecutable`) and the warnings.
 */
export async function parseBpmn(xml: string, options: ParseOptions): Promise<CompiledResource> {
  const { processes, problems } = await compileResource(xml, options);
  if (problems.some((problem) => problem.severity === 'error')) throw new ModelError(problems, options.resourceName);
  return deepFreeze({ resourceName: options.resourceName, processes, warnings: problems.filter((problem) => problem.severity === 'warning') });
}

/**
 * Like parseBpmn, but never rejects: returns whatever compiled together with
 * every problem. For tooling that shows a model's problems (and for tests of
 * constructs the runtime does not execute yet).
 */
export async function inspectBpmn(xml: string, options: ParseOptions): Promise<{ readonly processes: readonly ProcessGraph[]; readonly problems: readonly ModelProblem[] }> {
  const { processes, problems } = await compileResource(xml, options);
  return deepFreeze({ processes, problems });
}

async function compileResource(xml: string, options: ParseOptions): Promise<{ processes: ProcessGraph[]; problems: ModelProblem[] }> {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const refused = new ProblemList(options.resourceName);
  if (!checkBeforeReading(text, options.maxBytes ?? DEFAULT_MAX_BYTES, refused)) return { processes: [], problems: refused.problems };

  const locations = indexLocations(text);
  const problems = new ProblemList(options.resourceName, locations);
  const read = await readDefinitions(text, locations, problems);
  if (!read) return { processes: [], problems: problems.problems };

  const compiled = compileDefinitions(read.definitions, { problems, locations, unresolved: read.unresolved });
  for (const process of compiled) {
    validateProcess(process.graph, process.problems, { isHandlerKnown: options.isHandlerKnown, checkConnector: options.checkConnector });
  }
  reportRemainingReferences(read.unresolved, problems);
  return { processes: compiled.map((process) => process.graph), problems: problems.problems };
}
