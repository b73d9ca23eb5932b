import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../engine/errors.js';
import { inspectBpmn, parseBpmn } from '../../engine/model/index.js';
import { compileFixture, fixtureText, processOf } from './model-fixtures.js';

function chainOfTasks(count: number): string {
  const tasks: string[] = [];
  let previous = 'start';
  for (let i = 0; i < count; i++) {
    tasks.push(`    <task id="t${i}" name="Task ${i}" />`, `    <sequenceFlow id="f${i}" sourceRef="${previous}" targetRef="t${i}" />`);
    previous = `t${i}`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://cadenzaflow.org/test">
  <process id="long" isExecutable="true">
    <startEvent id="start" />
${tasks.join('\n')}
    <sequenceFlow id="toEnd" sourceRef="${previous}" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>
`;
}

describe('the resource', () => {
  it('a resource larger than maxBytes is refused before it is read', async () => {
    const xml = fixtureText('Model.minimal.bpmn');
    const bytes = Buffer.byteLength(xml, 'utf8');
    const error = await parseBpmn(xml, { resourceName: 'big.bpmn', maxBytes: bytes - 1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).problems).toEqual([
      { severity: 'error', resource: 'big.bpmn', message: `resource is ${bytes} bytes, more than the ${bytes - 1} bytes allowed` },
    ]);
    await expect(parseBpmn(xml, { resourceName: 'big.bpmn', maxBytes: bytes })).resolves.toBeDefined();
  });

  it('the size limit counts bytes of UTF-8, not characters', async () => {
    const xml = fixtureText('Model.minimal.bpmn').replace('name="Minimal"', 'name="Überweisung ✓"');

    await expect(parseBpmn(xml, { resourceName: 'utf8.bpmn', maxBytes: xml.length })).rejects.toBeInstanceOf(ModelError);
  });

  it('a rejection is a ModelError with the Camunda parse message and every problem', async () => {
    const error = await compileFixture('invalid/async-on-unsupported-elements.bpmn').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('MODEL_INVALID');
    expect((error as ModelError).message).toMatch(
      /^ENGINE-09005 Could not parse BPMN process\. Errors: .*element 'adHoc', line 9.*; .*element 'merge', line 13.*; .*element 'legacy', line 15/,
    );
    expect((error as ModelError).problems).toHaveLength(3);
  });

  it('a byte-order mark in front of the XML is ignored', async () => {
    const { processes } = await parseBpmn(`\uFEFF${fixtureText('Model.minimal.bpmn')}`, { resourceName: 'bom.bpmn' });

    expect(processes[0]!.nodes.get('start')!.loc).toEqual((await processOf('Model.minimal.bpmn')).nodes.get('start')!.loc);
  });

  it('a process without isExecutable is, as in Camunda 7, not executable, and says so', async () => {
    const xml = fixtureText('Model.minimal.bpmn').replace(' isExecutable="true"', '');
    const { processes, warnings } = await parseBpmn(xml, { resourceName: 'unmarked.bpmn' });

    expect(processes[0]!.isExecutable).toBe(false);
    expect(warnings).toEqual([
      expect.objectContaining({ severity: 'warning', elementId: 'minimal', message: expect.stringContaining("process 'minimal' has no isExecutable attribute") }),
    ]);
  });

  it('nothing inside a non-executable process can fail the deployment', async () => {
    const xml = fixtureText('invalid/unsupported-event-definitions.bpmn').replace('isExecutable="true"', 'isExecutable="false"');

    await expect(parseBpmn(xml, { resourceName: 'sketch.bpmn' })).resolves.toMatchObject({ warnings: [], processes: [{ id: 'broken', isExecutable: false }] });
  });

  it('inspectBpmn returns the processes together with every problem instead of rejecting', async () => {
    const { processes, problems } = await inspectBpmn(fixtureText('invalid/unsupported-gateways.bpmn'), { resourceName: 'gateways.bpmn' });

    expect(processes.map((process) => process.id)).toEqual(['broken']);
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', elementId: 'complex' })]);
  });
});

describe('the compiled graph', () => {
  it('is frozen all the way down, maps included', async () => {
    const graph = await processOf('Model.user-task.bpmn');
    const review = graph.nodes.get('review')!;

    expect(Object.isFrozen(graph)).toBe(true);
    expect(Object.isFrozen(review)).toBe(true);
    expect(Object.isFrozen(review.outgoing)).toBe(true);
    expect(() => (graph.nodes as Map<string, unknown>).set('x', {})).toThrow(TypeError);
    expect(() => (graph.flows as Map<string, unknown>).delete('toReview')).toThrow(TypeError);
    expect(() => (review.incoming as string[]).push('x')).toThrow(TypeError);
    expect(graph.nodes.size).toBe(4);
  });

  it('compiling and validating a hundred elements costs little more than reading their XML', async () => {
    // ~2-3 ms in all on an idle machine; measured against bpmn-moddle's own
    // reading, best of several runs, so the test holds on a loaded one
    const xml = chainOfTasks(50);
    const moddle = new BpmnModdle({ camunda: createRequire(import.meta.url)('camunda-bpmn-moddle/resources/camunda.json') });
    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) {
      await moddle.fromXML(xml);
      await parseBpmn(xml, { resourceName: 'warm-up.bpmn' });
    }

    const reading: number[] = [];
    const compiling: number[] = [];
    for (let i = 0; i < 31; i++) {
      reading.push(await timed(() => moddle.fromXML(xml)));
      compiling.push(await timed(() => parseBpmn(xml, { resourceName: 'long.bpmn' })));
    }

    const { processes } = await parseBpmn(xml, { resourceName: 'long.bpmn' });
    expect(processes[0]!.nodes.size + processes[0]!.flows.size).toBe(103);
    expect(Math.min(...compiling)).toBeLessThan(2 * Math.min(...reading) + 2);
  });
});
