import { expect, it } from 'vitest';
import { ModelError, type DeployResource } from '../../engine/index.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

/** The 1-based line of the first line of `text` containing `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`'${snippet}' is not in the fixture`);
  return index + 1;
}

function resource(name: string, edit: (xml: string) => string = (x) => x): DeployResource {
  return { name, content: edit(fixture(name)) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

engineSuite('deployment', (h) => {
  it('every deployment of a key gets the next version; starting by key takes the latest, by id the exact one', async () => {
    const first = await h.engine().deploy({ name: 'versioning', resources: [resource('Engine.deployVersioning.bpmn')] });
    const second = await h.engine().deploy({
      name: 'versioning',
      resources: [resource('Engine.deployVersioning.bpmn', (x) => x.replace('First version', 'Second version'))],
    });
    const [v1] = first.processDefinitions;
    const [v2] = second.processDefinitions;
    expect(v1).toMatchObject({ key: 'deployVersioning', version: 1, deploymentId: first.deployment.id, resourceName: 'Engine.deployVersioning.bpmn' });
    expect(v2).toMatchObject({ key: 'deployVersioning', version: 2, deploymentId: second.deployment.id });
    expect(v1!.id).not.toBe(v2!.id);
    expect((await h.engine().getLatestProcessDefinition('deployVersioning'))!.id).toBe(v2!.id);

    await h.restart();
    const byKey = await h.engine().startProcessInstance({ processDefinitionKey: 'deployVersioning' });
    expect(byKey.definitionId).toBe(v2!.id);
    expect((await h.engine().findTasks({ instanceId: byKey.id }))[0]!.name).toBe('Second version');
    const byId = await h.engine().startProcessInstance({ processDefinitionId: v1!.id });
    expect(byId.definitionId).toBe(v1!.id);
    expect((await h.engine().findTasks({ instanceId: byId.id }))[0]!.name).toBe('First version');
    expect((await h.engine().findHistoricProcessInstances({ id: byId.id }))[0]!.definitionVersion).toBe(1);

    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'noSuchProcess' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h.engine().startProcessInstance({ processDefinitionId: 'noSuchProcess:1:x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h.engine().startProcessInstance({})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('duplicate filtering returns the earlier deployment when nothing changed, and deploys a changed model as a new version', async () => {
    const input = { name: 'duplicates', enableDuplicateFiltering: true, resources: [resource('Engine.deployVersioning.bpmn', (x) => x.replace(/deployVersioning/g, 'duplicateFiltered'))] };
    const first = await h.engine().deploy(input);
    expect(first.duplicate).toBe(false);
    const again = await h.engine().deploy(input);
    expect(again).toMatchObject({ duplicate: true, processDefinitions: [] });
    expect(again.deployment.id).toBe(first.deployment.id);
    expect(await h.engine().countProcessDefinitions({ key: 'duplicateFiltered' })).toBe(1);

    // Filtering compares with the last deployment of the same name only.
    const otherName = await h.engine().deploy({ ...input, name: 'duplicates-elsewhere' });
    expect(otherName.duplicate).toBe(false);
    expect(otherName.processDefinitions[0]!.version).toBe(2);

    const changed = await h.engine().deploy({ ...input, resources: [resource('Engine.deployVersioning.bpmn', (x) => x.replace(/deployVersioning/g, 'duplicateFiltered').replace('First version', 'Changed'))] });
    expect(changed.duplicate).toBe(false);
    expect(changed.processDefinitions.map((d) => d.version)).toEqual([3]);
    expect(await h.engine().findDeployments({ name: 'duplicates' })).toHaveLength(2);
  });

  it('deployChangedOnly deploys only the resources that changed; the others keep their version', async () => {
    const input = (bName: string) => ({
      name: 'changed-only',
      deployChangedOnly: true,
      resources: [resource('Engine.deployChangedOnlyA.bpmn'), resource('Engine.deployChangedOnlyB.bpmn', (x) => x.replace('Task B', bName))],
    });
    const first = await h.engine().deploy(input('Task B'));
    expect(first.processDefinitions.map((d) => [d.key, d.version])).toEqual([
      ['changedOnlyA', 1],
      ['changedOnlyB', 1],
    ]);
    const second = await h.engine().deploy(input('Task B, revised'));
    expect(second.duplicate).toBe(false);
    expect(second.resources.map((r) => r.name)).toEqual(['Engine.deployChangedOnlyB.bpmn']);
    expect(second.processDefinitions.map((d) => [d.key, d.version])).toEqual([['changedOnlyB', 2]]);
    expect((await h.engine().getLatestProcessDefinition('changedOnlyA'))!.deploymentId).toBe(first.deployment.id);
    const third = await h.engine().deploy(input('Task B, revised'));
    expect(third).toMatchObject({ duplicate: true, processDefinitions: [] });
    expect(await h.engine().countProcessDefinitions({ keyIn: ['changedOnlyA', 'changedOnlyB'] })).toBe(3);
  });

  it('a file with several processes deploys one definition per process, all from the same resource', async () => {
    const result = await h.deploy('Engine.severalProcesses.bpmn');
    expect(result.processDefinitions.map((d) => [d.key, d.name, d.resourceName, d.deploymentId, d.category])).toEqual([
      ['severalFirst', 'First of several', 'Engine.severalProcesses.bpmn', result.deployment.id, 'http://cadenzaflow.org/several'],
      ['severalSecond', 'Second of several', 'Engine.severalProcesses.bpmn', result.deployment.id, 'http://cadenzaflow.org/several'],
    ]);
    await h.restart();
    expect((await h.engine().startProcessInstance({ processDefinitionKey: 'severalFirst' })).ended).toBe(false);
    expect((await h.engine().startProcessInstance({ processDefinitionKey: 'severalSecond' })).ended).toBe(true);
    const xml = await h.engine().getProcessDefinitionXml(result.processDefinitions[1]!.id);
    expect(xml).toBe(fixture('Engine.severalProcesses.bpmn'));
  });

  it('a process with isExecutable="false" is stored but cannot be started', async () => {
    const result = await h.deploy('Engine.notExecutable.bpmn');
    expect(result.processDefinitions).toEqual([expect.objectContaining({ key: 'notExecutable', executable: false })]);
    const failure = h.engine().startProcessInstance({ processDefinitionKey: 'notExecutable' });
    await expect(failure).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(failure).rejects.toThrow(/is not executable \(isExecutable="false"\) and cannot be started/);
    expect(await h.engine().findHistoricProcessInstances({ definitionKey: 'notExecutable' })).toEqual([]);
  });

  it('versionTag and historyTimeToLive are kept on the definition row', async () => {
    const result = await h.deploy('Engine.definitionAttributes.bpmn');
    await h.restart();
    const row = await h.engine().getProcessDefinition(result.processDefinitions[0]!.id);
    expect(row).toMatchObject({
      key: 'definitionAttributes',
      name: 'With attributes',
      versionTag: '2.1.0',
      historyTimeToLive: 45,
      category: 'http://cadenzaflow.org/attributes',
      suspended: false,
      executable: true,
    });
    expect(await h.engine().findProcessDefinitions({ versionTag: '2.1.0' })).toEqual([row]);
  });

  it('a broken model is refused with every problem, each with its element and line, and nothing is stored', async () => {
    const text = fixture('Engine.invalidModel.bpmn');
    const error = await rejectionOf(
      h.engine().deploy({ name: 'broken', resources: [resource('Engine.deployChangedOnlyA.bpmn', (x) => x.replace(/changedOnlyA/g, 'innocentBystander')), resource('Engine.invalidModel.bpmn')] }),
    );
    expect(error.code).toBe('MODEL_INVALID');
    const at = (elementId: string, snippet: string, message: string) =>
      expect.objectContaining({ severity: 'error', elementId, resource: 'Engine.invalidModel.bpmn', line: lineOf(text, snippet), message: expect.stringContaining(message) });
    expect(error.problems).toEqual(
      expect.arrayContaining([
        at('charge', 'id="charge"', "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on serviceTask."),
        at('review', 'id="review"', "invalid expression '${user.' in camunda:assignee"),
        at('lost', 'id="lost"', "Invalid destination 'nowhere' of sequence flow 'lost'"),
        at('cancelReview', 'id="cancelReview"', 'boundary event with cancelEventDefinition only supported on transaction subprocesses'),
      ]),
    );
    expect(error.problems.filter((p) => p.severity === 'error')).toHaveLength(4);
    // The message lists them all, not just the first.
    for (const id of ['charge', 'review', 'lost', 'cancelReview']) expect(error.message).toContain(`element '${id}'`);
    expect(await h.engine().countProcessDefinitions({ keyIn: ['invalidModel', 'innocentBystander'] })).toBe(0);
    expect(await h.engine().findDeployments({ name: 'broken' })).toEqual([]);
  });

  it('problems of several broken resources are reported together, each naming its resource', async () => {
    const error = await rejectionOf(h.deploy('invalid/unsupported-gateways.bpmn', 'invalid/unknown-reference.bpmn'));
    const resources = new Set(error.problems.map((p) => p.resource));
    expect(resources).toEqual(new Set(['invalid/unsupported-gateways.bpmn', 'invalid/unknown-reference.bpmn']));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource: 'invalid/unknown-reference.bpmn',
          elementId: 'toNowhere',
          line: lineOf(fixture('invalid/unknown-reference.bpmn'), 'id="toNowhere"'),
        }),
      ]),
    );
    expect(error.problems.every((p) => typeof p.line === 'number')).toBe(true);
  });

  it('an unknown camunda:class deploys with a warning naming it and fails clearly when reached, until a handler is registered', async () => {
    const result = await h.deploy('Engine.unknownClass.bpmn');
    expect(result.warnings).toEqual([
      expect.objectContaining({ severity: 'warning', elementId: 'ship', line: lineOf(fixture('Engine.unknownClass.bpmn'), 'id="ship"'), message: expect.stringContaining("'com.acme.ShipOrder'") }),
    ]);
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'unknownClass' });
    const [before] = await h.engine().findTasks({ instanceId: pi.id });
    await h.restart();
    await expect(h.engine().completeTask(before!.id)).rejects.toThrow("Exception while instantiating class 'com.acme.ShipOrder' of serviceTask 'ship'");
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['before']);

    const shipped: string[] = [];
    h.engine().registerHandler('com.acme.ShipOrder', (execution) => void shipped.push(execution.getProcessInstanceId()));
    await h.engine().completeTask(before!.id);
    expect(shipped).toEqual([pi.id]);
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
  });

  it('call activity bindings pick the called version: latest, deployment, version and versionTag', async () => {
    const callee = (tag: string): DeployResource => resource('Engine.callBindingCallee.bpmn', (x) => x.replace('camunda:versionTag="stable"', `camunda:versionTag="${tag}"`));
    const stable = (await h.engine().deploy({ name: 'callee', resources: [callee('stable')] })).processDefinitions[0]!;
    const together = await h.engine().deploy({ name: 'caller-with-callee', resources: [resource('Engine.callBindingDeployment.bpmn'), callee('in-deployment')] });
    const inDeployment = together.processDefinitions.find((d) => d.key === 'bindingCallee')!;
    const latest = (await h.engine().deploy({ name: 'callee', resources: [callee('next')] })).processDefinitions[0]!;
    expect([stable.version, inDeployment.version, latest.version]).toEqual([stable.version, stable.version + 1, stable.version + 2]);
    await h.deploy('Engine.callBindingVersion.bpmn', 'Engine.callBindingVersionTag.bpmn', 'Engine.callBindingLatest.bpmn');
    await h.restart();

    const calledDefinition = async (key: string, variables: Record<string, unknown> = {}) => {
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: key, variables });
      const [sub] = await h.engine().findProcessInstances({ superInstanceId: pi.id });
      return sub!.definitionId;
    };
    expect(await calledDefinition('callBindingLatest')).toBe(latest.id);
    expect(await calledDefinition('callBindingDeployment')).toBe(inDeployment.id);
    expect(await calledDefinition('callBindingVersion', { calleeVersion: stable.version })).toBe(stable.id);
    expect(await calledDefinition('callBindingVersion', { calleeVersion: inDeployment.version })).toBe(inDeployment.id);
    expect(await calledDefinition('callBindingVersionTag')).toBe(stable.id);

    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'callBindingVersion', businessKey: 'no-version', variables: { calleeVersion: 999 } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("no process definition with key 'bindingCallee' (binding version)"),
    });
    expect(await h.engine().countProcessInstances({ businessKey: 'no-version' })).toBe(0);
  });
});
