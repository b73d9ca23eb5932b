/**
 * Behaviour found missing by the conformance sweep against Camunda 7's own
 * engine test models (docs/conformance.md), reproduced with our own fixtures:
 * what Camunda accepts deploys and runs, what it refuses is refused with its
 * message.
 */
import { expect, it } from 'vitest';
import { ModelError } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

async function refusal(deploying: Promise<unknown>): Promise<string[]> {
  const error = await deploying.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return (error as ModelError).problems.filter((p) => p.severity === 'error').map((p) => `${p.elementId}: ${p.message}`);
}

engineSuite('conformance with Camunda 7 models', (h) => {
  it('sequence flows without an id deploy and are taken, conditions included', async () => {
    await h.deploy('Conformance.unnamedFlows.bpmn');
    const big = await h.engine().startProcessInstance({ processDefinitionKey: 'routeWithoutFlowIds', variables: { parcels: 12 } });
    const small = await h.engine().startProcessInstance({ processDefinitionKey: 'routeWithoutFlowIds', variables: { parcels: 3 } });
    expect((await h.engine().findTasks({ instanceId: big.id })).map((t) => t.taskDefinitionKey)).toEqual(['bulkHandling']);
    await h.restart();
    const [task] = await h.engine().findTasks({ instanceId: small.id });
    expect(task!.taskDefinitionKey).toBe('singleHandling');
    await h.engine().completeTask(task!.id);
    expect(await h.engine().getProcessInstance(small.id)).toBeNull();
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: small.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => a.activityId)).toEqual(['received', 'sizeCheck', 'singleHandling', 'shipped']);
  });

  it('a message reference written as a QName of the target namespace names the message', async () => {
    await h.deploy('Conformance.qualifiedMessageRef.bpmn');
    const [started] = await h.engine().correlateMessage({ messageName: 'OrderPlaced', businessKey: 'qn-1' });
    expect(started!.resultType).toBe('ProcessDefinition');
    await h.restart();
    await h.engine().correlateMessage({ messageName: 'OrderPaid', businessKey: 'qn-1' });
    expect((await h.engine().findTasks({ instanceId: started!.processInstanceId })).map((t) => t.taskDefinitionKey)).toEqual(['pack']);
  });

  it('white space around attribute equals signs and around id values is read as XML and XML Schema read it', async () => {
    const result = await h.deploy('Conformance.spacedAttributes.bpmn');
    expect(result.processDefinitions.map((d) => d.key)).toEqual(['spacedAttributes']);
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'spacedAttributes' });
    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    expect(task).toMatchObject({ taskDefinitionKey: 'review', name: 'Review the claim', assignee: 'fozzie' });
  });

  it('an execution waiting for an asynchronous continuation shows as a transition instance of its scope', async () => {
    await h.deploy('Conformance.asyncInScope.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'asyncInScope' });
    await h.restart();
    let tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(tree.childActivityInstances.map((a) => a.activityId)).toEqual(['stage']);
    const stage = tree.childActivityInstances[0]!;
    expect(stage.childActivityInstances).toEqual([]);
    expect(stage.childTransitionInstances).toEqual([
      expect.objectContaining({ activityId: 'check', activityName: 'Check', activityType: 'userTask', parentActivityInstanceId: stage.id, targetActivityId: 'check' }),
    ]);
    const transition = stage.childTransitionInstances[0]!;
    expect(transition.id).toBe(transition.executionId);

    const [job] = await h.engine().findJobs({ instanceId: pi.id });
    await h.engine().executeJob(job!.id);
    tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(tree.childActivityInstances[0]!.childActivityInstances.map((a) => a.activityId)).toEqual(['check']);
    expect(tree.childActivityInstances[0]!.childTransitionInstances).toEqual([]);

    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    await h.engine().completeTask(task!.id);
    tree = await h.engine().getActivityInstanceTree(pi.id);
    // after asyncAfter the activity has ended: only the transition out of it remains
    expect(tree.childActivityInstances).toEqual([]);
    expect(tree.childTransitionInstances).toEqual([expect.objectContaining({ activityId: 'archive', parentActivityInstanceId: pi.id })]);
  });

  it('the initiator variable is set to null when nobody is authenticated, so expressions using it resolve', async () => {
    await h.deploy('Conformance.initiator.bpmn');
    const anonymous = await h.engine().startProcessInstance({ processDefinitionKey: 'startedBy' });
    expect((await h.engine().getVariables(anonymous.id))['opener']).toMatchObject({ type: 'Null', value: null });
    expect((await h.engine().findTasks({ instanceId: anonymous.id }))[0]!.assignee).toBeNull();
    const named = await h.engine().startProcessInstance({ processDefinitionKey: 'startedBy', userId: 'gonzo' });
    expect((await h.engine().findTasks({ instanceId: named.id }))[0]!.assignee).toBe('gonzo');
  });

  it('the error message of an error end event may be an expression, evaluated where the error is thrown', async () => {
    await h.deploy('Conformance.errorMessageExpression.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'declinedOrder', variables: { approver: 'gonzo' } });
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['inform']);
    const vars = await h.engine().getVariables(pi.id);
    expect([vars['why']?.value, vars['what']?.value]).toEqual(['REJECTED', 'declined by gonzo']);
  });

  it('event subprocesses entered by flows or started by none events, asynchronous continuations after an event-based gateway and error end events without a code are refused', async () => {
    expect(await refusal(h.deploy('Conformance.scopeRules.bpmn'))).toEqual([
      "fail: 'errorCode' is required for an error event",
      "answer: 'asyncAfter' not supported for eventBasedGateway elements.",
      'handler: Invalid incoming sequence flow of event subprocess',
      'handler: Invalid outgoing sequence flow of event subprocess',
      "handlerStart: start event of event subprocess must be of type 'error', 'message', 'timer', 'signal', 'compensation' or 'escalation'",
    ]);
  });

  it('two signals of one name are refused as Camunda refuses them', async () => {
    expect(await refusal(h.deploy('Conformance.duplicateSignalNames.bpmn'))).toEqual(["stopB: duplicate signal name 'stop'."]);
  });

  it('escalation throws without a code and escalation catches of one scope with the same code are refused with Camunda\'s messages', async () => {
    expect(await refusal(h.deploy('Conformance.escalationRules.bpmn'))).toEqual([
      "shout: throwing escalation event must have an 'escalationCode'",
      "catchAlsoLate: multiple escalation boundary events with the same escalationCode 'LATE' are not supported on same scope",
    ]);
  });

  it('two subscriptions to one message name in a scope, and a second way into an event after an event-based gateway, are refused', async () => {
    expect(await refusal(h.deploy('Conformance.subscriptionRules.bpmn'))).toEqual([
      "byPingAgain: Cannot have more than one message event subscription with name 'Ping' for scope 'subscriptionRules'",
      "alarmed: Invalid incoming sequenceflow for intermediateCatchEvent with id 'alarmed' connected to an event-based gateway.",
    ]);
  });
});
