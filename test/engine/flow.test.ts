import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite('sequence flow and gateways', (h) => {
  it('a process of a none start and a none end event completes within the start command', async () => {
    await h.deploy('Engine.noneStartEnd.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'noneStartEnd', businessKey: 'bk-1' });
    expect(pi.ended).toBe(true);
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
    expect(hpi).toMatchObject({ state: 'COMPLETED', businessKey: 'bk-1', startActivityId: 'start', endActivityId: 'end' });
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => [a.activityId, a.activityType])).toEqual([
      ['start', 'startEvent'],
      ['end', 'noneEndEvent'],
    ]);
    expect(acts.every((a) => a.endTime !== null && a.parentActivityInstanceId === pi.id)).toBe(true);
  });

  it('abstract tasks, manual tasks and intermediate none throw events pass through', async () => {
    await h.deploy('Engine.manualTaskSequence.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'manualTaskSequence' });
    expect(pi.ended).toBe(true);
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => a.activityType)).toEqual(['startEvent', 'task', 'manualTask', 'intermediateNoneThrowEvent', 'noneEndEvent']);
  });

  it('an exclusive gateway takes the first flow whose condition holds, else the default flow', async () => {
    await h.deploy('Engine.exclusiveGateway.bpmn');
    for (const [amount, expected] of [
      [5, 'small'],
      [50, 'medium'],
      [500, 'large'],
    ] as const) {
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'exclusiveGateway', variables: { amount } });
      const tasks = await h.engine().findTasks({ instanceId: pi.id });
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual([expected]);
    }
  });

  it('an exclusive gateway with no matching flow fails the command and leaves nothing behind', async () => {
    await h.deploy('Engine.exclusiveGatewayNoDefault.bpmn');
    const before = await h.engine().countProcessInstances({ definitionKey: 'exclusiveGatewayNoDefault' });
    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'exclusiveGatewayNoDefault', variables: { route: 'c' } })).rejects.toThrow(
      /ENGINE-02004 No outgoing sequence flow for the element with id 'decide'/,
    );
    expect(await h.engine().countProcessInstances({ definitionKey: 'exclusiveGatewayNoDefault' })).toBe(before);
    expect(await h.engine().findHistoricProcessInstances({ definitionKey: 'exclusiveGatewayNoDefault' })).toEqual([]);
  });

  it('a condition on an unknown variable fails with the expression named', async () => {
    await h.deploy('Engine.exclusiveGatewayNoDefault.bpmn');
    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'exclusiveGatewayNoDefault' })).rejects.toThrow(
      "Unknown property used in expression: ${route == 'a'}. Cause: Cannot resolve identifier 'route'",
    );
  });

  it('a parallel gateway forks into concurrent executions and joins them, across a restart', async () => {
    await h.deploy('Engine.parallelGateway.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'parallelGateway' });
    let tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['taskA', 'taskB']);
    expect(new Set(tasks.map((t) => t.executionId)).size).toBe(2);
    expect(tasks.every((t) => t.executionId !== pi.id)).toBe(true);
    const tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(tree.childActivityInstances.map((a) => a.activityId).sort()).toEqual(['taskA', 'taskB']);

    await h.engine().completeTask(tasks[0]!.id);
    await h.restart();
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['taskB']);
    await h.engine().completeTask(tasks[1]!.id);
    tasks = await h.engine().findTasks({ instanceId: pi.id });
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['afterJoin']);
    // After the join the process instance execution carries the token again.
    expect(tasks[0]!.executionId).toBe(pi.id);
    expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
    await h.engine().completeTask(tasks[0]!.id);
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    const joins = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'join' });
    expect(joins).toHaveLength(2);
    expect(joins.every((j) => j.endTime !== null)).toBe(true);
  });

  it('an inclusive gateway activates the flows whose conditions hold and joins only those', async () => {
    await h.deploy('Engine.inclusiveGateway.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'inclusiveGateway', variables: { a: true, b: true } });
    const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['taskA', 'taskB']);
    await h.engine().completeTask(tasks[0]!.id);
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['taskB']);
    await h.restart();
    await h.engine().completeTask(tasks[1]!.id);
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['afterJoin']);
  });

  it('an inclusive gateway with no true condition takes its default flow', async () => {
    await h.deploy('Engine.inclusiveGateway.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'inclusiveGateway', variables: { a: false, b: false } });
    const tasks = await h.engine().findTasks({ instanceId: pi.id });
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['taskC']);
    await h.engine().completeTask(tasks[0]!.id);
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['afterJoin']);
  });
});
