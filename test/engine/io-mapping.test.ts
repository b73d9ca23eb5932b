import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite('input/output mapping', (h) => {
  it('the inputs of a user task become local variables of its own scope: text, expression, list, map, script and empty', async () => {
    await h.deploy('Engine.ioMappingUserTask.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'ioMappingUserTask', variables: { customer: 'piggy', net: 20 } });
    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    expect(task!.name).toBe('Review piggy');
    // An activity with input/output mapping is a scope: its task lives on a child execution.
    expect(task!.executionId).not.toBe(pi.id);
    // Numbers computed by expressions are typed by value here (Camunda's JUEL would give a Long), so only the value is pinned.
    const inputs = {
      greeting: { type: 'String', value: 'Dear customer' },
      gross: { type: expect.any(String), value: 40 },
      reviewers: { type: 'Json', value: ['kermit', 'piggy'] },
      address: { type: 'Json', value: { name: 'piggy', city: 'Berlin' } },
      label: { type: 'String', value: 'PIGGY-21' },
      nothing: { type: 'Null', value: null },
    };
    expect(await h.engine().getVariables(task!.executionId, true)).toEqual(inputs);
    expect(await h.engine().getTaskVariables(task!.id)).toEqual({ customer: { type: 'String', value: 'piggy' }, net: { type: 'Integer', value: 20 }, ...inputs });
    expect(Object.keys(await h.engine().getVariables(pi.id)).sort()).toEqual(['customer', 'net']);

    await h.restart();
    expect(await h.engine().getVariables(task!.executionId, true)).toEqual(inputs);
    await h.engine().completeTask(task!.id, { decision: 'approved' });

    // Outputs are evaluated inside the activity and set on the enclosing scope; the inputs went with the scope.
    expect(await h.engine().getVariables(pi.id)).toEqual({
      customer: { type: 'String', value: 'piggy' },
      net: { type: 'Integer', value: 20 },
      decision: { type: 'String', value: 'approved' },
      verdict: { type: 'String', value: 'approved by kermit' },
      total: { type: expect.any(String), value: 41 },
    });
    const [after] = await h.engine().findTasks({ instanceId: pi.id });
    expect(after!.taskDefinitionKey).toBe('after');
    expect(after!.executionId).toBe(pi.id);
    expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
  });

  it('an input expression that fails rolls the command back and names the parameter', async () => {
    await h.deploy('Engine.ioMappingUserTask.bpmn');
    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'ioMappingUserTask', businessKey: 'io-broken', variables: { customer: 'x' } })).rejects.toThrow(
      /net/,
    );
    expect(await h.engine().countProcessInstances({ businessKey: 'io-broken' })).toBe(0);
    expect(await h.engine().findHistoricProcessInstances({ businessKey: 'io-broken' })).toEqual([]);
  });

  it('the inputs of a subprocess are visible inside it and its outputs flow out when it completes', async () => {
    await h.deploy('Engine.ioMappingSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'ioMappingSubprocess', variables: { budget: 100 } });
    const [work] = await h.engine().findTasks({ instanceId: pi.id });
    expect(await h.engine().getTaskVariables(work!.id)).toEqual({
      budget: { type: 'Integer', value: 100 },
      limit: { type: expect.any(String), value: 90 },
      tags: { type: 'Json', value: ['a', 'b'] },
    });
    expect(Object.keys(await h.engine().getVariables(pi.id))).toEqual(['budget']);
    const tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(tree.childActivityInstances.map((a) => a.activityId)).toEqual(['sub']);
    expect(tree.childActivityInstances[0]!.childActivityInstances.map((a) => a.activityId)).toEqual(['work']);

    await h.restart();
    await h.engine().completeTask(work!.id, { rest: 30 });
    expect(await h.engine().getVariables(pi.id)).toEqual({
      budget: { type: 'Integer', value: 100 },
      rest: { type: 'Integer', value: 30 },
      spent: { type: expect.any(String), value: 60 },
    });
    const [after] = await h.engine().findTasks({ instanceId: pi.id });
    expect(after!.taskDefinitionKey).toBe('after');
  });
});
