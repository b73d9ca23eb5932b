import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/model/index.js';
import { compileFixture, fixtureText, lineOf } from './model-fixtures.js';

const REGISTERED = new Set(['com.example.Registered']);

describe('warnings', () => {
  it('handlers without a registration, and scripts in languages CadenzaFlow does not run, deploy with warnings naming them', async () => {
    const text = fixtureText('Model.warnings.bpmn');
    const { processes, warnings } = await compileFixture('Model.warnings.bpmn', { isHandlerKnown: (name) => REGISTERED.has(name) });

    expect(processes).toHaveLength(1);
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        elementId: 'byClass',
        line: lineOf(text, 'id="byClass"'),
        message: "no handler is registered under 'com.example.Unregistered' (camunda:class of serviceTask in element 'byClass'); the element fails when reached",
      }),
      expect.objectContaining({
        severity: 'warning',
        elementId: 'byBean',
        line: lineOf(text, 'id="byBean"'),
        message: "no handler is registered under 'missingBean' (camunda:delegateExpression of serviceTask in element 'byBean'); the element fails when reached",
      }),
      expect.objectContaining({
        severity: 'warning',
        elementId: 'legacyScript',
        line: lineOf(text, 'id="legacyScript"'),
        message: "groovy scripts are not executed by CadenzaFlow; the element fails when reached (scriptTask 'legacyScript')",
      }),
    ]);
  });

  it('without isHandlerKnown every handler counts as registered', async () => {
    const { warnings } = await compileFixture('Model.warnings.bpmn');

    expect(warnings.map((warning) => warning.elementId)).toEqual(['legacyScript']);
  });

  it('a delegate expression that is more than a bean name is not checked against the registry', async () => {
    const { warnings } = await compileFixture('Model.warnings.bpmn', { isHandlerKnown: () => false });

    expect(warnings.map((warning) => warning.elementId)).not.toContain('byCall');
    expect(warnings.map((warning) => warning.elementId)).toContain('end');
  });
});

describe('content that deploys but does nothing', () => {
  const minimal = fixtureText('Model.minimal.bpmn');

  it('camunda:formRef deploys with a warning: Camunda Forms are not served yet', async () => {
    const xml = minimal.replace('<bpmn:task id="work" name="Work">', '<bpmn:userTask id="work" name="Work" camunda:formRef="invoice-form" camunda:formRefBinding="latest">').replace('</bpmn:task>', '</bpmn:userTask>');
    const { warnings } = await parseBpmn(xml, { resourceName: 'form.bpmn' });

    expect(warnings).toEqual([
      expect.objectContaining({ elementId: 'work', line: lineOf(xml, 'id="work"'), message: 'camunda:formRef is ignored: CadenzaFlow does not serve Camunda Forms yet' }),
    ]);
  });

  it('standardLoopCharacteristics is ignored with a warning, as Camunda 7 ignores it', async () => {
    const xml = minimal.replace('<bpmn:incoming>toTask</bpmn:incoming>', '<bpmn:incoming>toTask</bpmn:incoming>\n      <bpmn:standardLoopCharacteristics />');
    const { processes, warnings } = await parseBpmn(xml, { resourceName: 'loop.bpmn' });

    expect(processes[0]!.nodes.get('work')!.multiInstance).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ elementId: 'work', message: 'standardLoopCharacteristics is ignored, as Camunda 7 ignores it' })]);
  });

  it('a diagram element or redundant incoming reference naming a missing element deploys with a warning', async () => {
    const xml = minimal
      .replace('<bpmn:incoming>toEnd</bpmn:incoming>', '<bpmn:incoming>removedFlow</bpmn:incoming>')
      .replace(
        '</bpmn:definitions>',
        '  <bpmndi:BPMNDiagram id="diagram" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI">\n    <bpmndi:BPMNPlane id="plane" bpmnElement="removedProcess" />\n  </bpmndi:BPMNDiagram>\n</bpmn:definitions>',
      );
    const { warnings } = await parseBpmn(xml, { resourceName: 'stale.bpmn' });

    expect(warnings).toEqual([
      expect.objectContaining({ elementId: 'end', message: "<endEvent> 'end' refers to 'removedFlow' in 'incoming', but no element has that id" }),
      expect.objectContaining({ elementId: 'plane', line: lineOf(xml, 'id="plane"'), message: "<bpmndi:BPMNPlane> 'plane' refers to 'removedProcess' in 'bpmnElement', but no element has that id" }),
    ]);
  });

  it('a misspelt or obsolete camunda attribute deploys, as on Camunda 7, with a warning naming the attribute and the element', async () => {
    const xml = fixtureText('Model.unknown-camunda-attribute.bpmn');
    const { processes, warnings } = await parseBpmn(xml, { resourceName: 'typo.bpmn' });

    expect(processes).toHaveLength(1);
    expect(warnings).toEqual([
      expect.objectContaining({ elementId: 'approve', line: lineOf(xml, 'camunda:asignee'), message: "unknown attribute 'camunda:asignee' on element 'approve' is ignored, as Camunda 7 ignores it; a typo?" }),
      expect.objectContaining({ elementId: 'approve', message: "unknown attribute 'clas' on <camunda:taskListener> of element 'approve' is ignored, as Camunda 7 ignores it; a typo?" }),
    ]);
  });

  it('an unknown attribute outside the camunda namespace is ignored with a warning', async () => {
    const xml = minimal.replace('<bpmn:task id="work" name="Work">', '<bpmn:task id="work" name="Work" color="red">');
    const { warnings } = await parseBpmn(xml, { resourceName: 'color.bpmn' });

    expect(warnings).toEqual([expect.objectContaining({ elementId: 'work', message: "unknown attribute 'color' on element 'work' is ignored" })]);
  });
});
