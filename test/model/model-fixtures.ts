/**
 * Loading BPMN fixtures for the model tests, and reading a rejection's
 * problems through the public API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ModelError, type ModelProblem } from '../../engine/errors.js';
import { parseBpmn, type CompiledResource, type FlowNode, type ParseOptions, type ProcessGraph } from '../../engine/model/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'bpmn');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export async function compileFixture(name: string, options: Partial<ParseOptions> = {}): Promise<CompiledResource> {
  return parseBpmn(fixtureText(name), { resourceName: name, ...options });
}

/** The only process of a fixture. */
export async function processOf(name: string, options: Partial<ParseOptions> = {}): Promise<ProcessGraph> {
  const { processes } = await compileFixture(name, options);
  expect(processes).toHaveLength(1);
  return processes[0]!;
}

/** A node of the graph, checked to be of `type`. */
export function node<T extends FlowNode['type']>(graph: ProcessGraph, id: string, type: T): FlowNode & { readonly type: T } {
  const found = graph.nodes.get(id);
  expect(found, `node '${id}'`).toBeDefined();
  expect(found!.type).toBe(type);
  return found as FlowNode & { readonly type: T };
}

/** The problems of a fixture that must be rejected. */
export async function rejectionOf(name: string, options: Partial<ParseOptions> = {}): Promise<readonly ModelProblem[]> {
  const outcome = await compileFixture(name, options).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ModelError);
  return (outcome as ModelError).problems;
}

/** 1-based line of the first line of `text` containing `snippet`. */
export function lineOf(text: string, snippet: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.includes(snippet));
  expect(index, `'${snippet}' in fixture`).toBeGreaterThanOrEqual(0);
  return index + 1;
}
