import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/model/index.js';
import { compileFixture, fixtureText, lineOf, rejectionOf } from './model-fixtures.js';

describe('camunda namespace aliases', () => {
  it.each(['activiti', 'operaton', 'cadenzaflow'])('a model in the %s namespace compiles to the same graph as in camunda\'s', async (alias) => {
    const camunda = await compileFixture('Model.alias-camunda.bpmn');
    const aliased = await compileFixture(`Model.alias-${alias}.bpmn`);

    expect(aliased.processes).toEqual(camunda.processes);
    expect(aliased.warnings).toEqual([]);
  });

  it('the activiti fixture really binds the activiti prefix to the activiti namespace', () => {
    const text = fixtureText('Model.alias-activiti.bpmn');

    expect(text).toContain('xmlns:activiti="http://activiti.org/bpmn"');
    expect(text).not.toContain('camunda');
  });

  it('any prefix works: what counts is the namespace it is bound to', async () => {
    const xml = fixtureText('Model.alias-camunda.bpmn').replaceAll('camunda:', 'ext:').replace('xmlns:camunda=', 'xmlns:ext=');
    const camunda = await compileFixture('Model.alias-camunda.bpmn');

    expect(xml).toContain('ext:assignee="${boss}"');
    expect((await parseBpmn(xml, { resourceName: 'prefixed.bpmn' })).processes).toEqual(camunda.processes);
  });

  it('an unknown attribute in an alias namespace is reported under its camunda name, at its place in the file', async () => {
    const xml = fixtureText('Model.alias-activiti.bpmn').replace('activiti:candidateGroups=', 'activiti:candidateGroup=');
    const { warnings: problems } = await parseBpmn(xml, { resourceName: 'typo.bpmn' });

    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        elementId: 'approve',
        message: "unknown attribute 'camunda:candidateGroup' on element 'approve' is ignored, as Camunda 7 ignores it; a typo?",
        line: lineOf(xml, 'activiti:candidateGroup='),
        column: xml.split('\n')[lineOf(xml, 'activiti:candidateGroup=') - 1]!.indexOf('activiti:candidateGroup=') + 1,
      }),
    ]);
  });

  it('rejections name the resource they come from', async () => {
    const problems = await rejectionOf('invalid/async-on-unsupported-elements.bpmn');

    expect(problems).toHaveLength(3);
    expect(problems.every((problem) => problem.resource === 'invalid/async-on-unsupported-elements.bpmn')).toBe(true);
  });
});
