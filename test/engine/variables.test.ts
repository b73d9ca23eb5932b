import { expect, it } from 'vitest';
import { normalizeTypedValue, typed } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite('variables', (h) => {
  it('plain values get Camunda types and come back unchanged, also after a restart', async () => {
    await h.deploy('Engine.variableTypes.bpmn');
    const when = new Date('2031-02-03T04:05:06.789Z');
    const pi = await h.engine().startProcessInstance({
      processDefinitionKey: 'variableTypes',
      variables: {
        text: 'hello',
        empty: '',
        small: 42,
        negative: -7,
        maxInt: 2147483647,
        aboveInt: 2147483648,
        belowInt: -2147483649,
        maxSafe: Number.MAX_SAFE_INTEGER,
        ratio: 0.25,
        flag: false,
        when,
        order: { id: 'o-1', lines: [{ sku: 'a', qty: 2 }], paid: true, note: null },
        list: [1, 'two', { three: 3 }],
        nothing: null,
      },
    });
    const expected = {
      text: { type: 'String', value: 'hello' },
      empty: { type: 'String', value: '' },
      small: { type: 'Integer', value: 42 },
      negative: { type: 'Integer', value: -7 },
      maxInt: { type: 'Integer', value: 2147483647 },
      aboveInt: { type: 'Long', value: 2147483648 },
      belowInt: { type: 'Long', value: -2147483649 },
      maxSafe: { type: 'Long', value: Number.MAX_SAFE_INTEGER },
      ratio: { type: 'Double', value: 0.25 },
      flag: { type: 'Boolean', value: false },
      when: { type: 'Date', value: when },
      order: { type: 'Json', value: { id: 'o-1', lines: [{ sku: 'a', qty: 2 }], paid: true, note: null } },
      list: { type: 'Json', value: [1, 'two', { three: 3 }] },
      nothing: { type: 'Null', value: null },
    };
    expect(await h.engine().getVariables(pi.id)).toEqual(expected);
    await h.restart();
    const after = await h.engine().getVariables(pi.id);
    expect(after).toEqual(expected);
    expect(after['when']!.value).toBeInstanceOf(Date);
    // The task sees the same values through its execution.
    const [task] = await h.engine().findTasks({ instanceId: pi.id });
    expect(await h.engine().getTaskVariables(task!.id)).toEqual(expected);
  });

  it('explicitly typed values keep their type: typed() and Camunda wire-form values', async () => {
    await h.deploy('Engine.variableTypes.bpmn');
    const pi = await h.engine().startProcessInstance({
      processDefinitionKey: 'variableTypes',
      variables: {
        long: typed('Long', 5),
        double: typed('Double', 2),
        shortText: typed('String', 12),
        fromWireInteger: normalizeTypedValue({ type: 'integer', value: '17' }, 'fromWireInteger'),
        fromWireDate: normalizeTypedValue({ type: 'Date', value: '2030-06-07T08:09:10.000Z' }, 'fromWireDate'),
        fromWireJson: normalizeTypedValue({ type: 'Json', value: '{"a":[1,2]}' }, 'fromWireJson'),
        fromWireBoolean: normalizeTypedValue({ type: 'Boolean', value: 'true' }, 'fromWireBoolean'),
        untyped: normalizeTypedValue({ value: 3.5 }, 'untyped'),
        typedNull: typed('String', null),
      },
    });
    await h.restart();
    const vars = await h.engine().getVariables(pi.id);
    expect(vars).toEqual({
      long: { type: 'Long', value: 5 },
      double: { type: 'Double', value: 2 },
      shortText: { type: 'String', value: '12' },
      fromWireInteger: { type: 'Integer', value: 17 },
      fromWireDate: { type: 'Date', value: new Date('2030-06-07T08:09:10.000Z') },
      fromWireJson: { type: 'Json', value: { a: [1, 2] } },
      fromWireBoolean: { type: 'Boolean', value: true },
      untyped: { type: 'Double', value: 3.5 },
      typedNull: { type: 'String', value: null },
    });
    // Overwriting a Long with a small plain number infers the type again, as Camunda's untyped setVariable does.
    await h.engine().setVariables(pi.id, { long: 6 });
    expect((await h.engine().getVariables(pi.id))['long']).toEqual({ type: 'Integer', value: 6 });
    await h.engine().setVariables(pi.id, { long: typed('Long', 7) });
    expect((await h.engine().getVariables(pi.id))['long']).toEqual({ type: 'Long', value: 7 });
  });

  it('a value that does not fit its declared type is refused with the variable named', async () => {
    expect(() => typed('Integer', 2147483648)).toThrow(/variable 'value' to type Integer: out of range for Integer/);
    expect(() => normalizeTypedValue({ type: 'Date', value: 'yesterday' }, 'due')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'due' }));
    expect(() => normalizeTypedValue({ type: 'Json', value: '{oops' }, 'payload')).toThrow(/variable 'payload' to type Json: not valid JSON/);
    expect(() => normalizeTypedValue({ type: 'Color', value: 'red' }, 'paint')).toThrow("Unsupported value type 'Color' for variable 'paint'");
  });

  it('setVariable updates an existing variable in the outer scope where it lives and creates new ones on the process instance', async () => {
    await h.deploy('Engine.variableScopes.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableScopes', variables: { outer: 'o1' } });
    const [inner] = await h.engine().findTasks({ instanceId: pi.id });
    const subExecution = inner!.executionId;
    expect(subExecution).not.toBe(pi.id);

    await h.engine().setVariables(subExecution, { outer: 'o2', fresh: 'f1' });
    expect(await h.engine().getVariables(pi.id, true)).toEqual({ outer: { type: 'String', value: 'o2' }, fresh: { type: 'String', value: 'f1' } });
    expect(await h.engine().getVariables(subExecution, true)).toEqual({});

    await h.engine().setVariables(subExecution, { scoped: 1, outer: 'shadow' }, { local: true });
    expect(await h.engine().getVariables(subExecution, true)).toEqual({ scoped: { type: 'Integer', value: 1 }, outer: { type: 'String', value: 'shadow' } });
    // The subprocess scope shadows the process instance's variable of the same name.
    expect((await h.engine().getVariables(subExecution))['outer']).toEqual({ type: 'String', value: 'shadow' });
    expect((await h.engine().getVariables(pi.id))['outer']).toEqual({ type: 'String', value: 'o2' });
    expect((await h.engine().getVariables(pi.id))['scoped']).toBeUndefined();

    await h.restart();
    // A non-local set from inside finds the nearest scope that has the variable.
    await h.engine().setVariables(subExecution, { scoped: 2, outer: 'shadow2' });
    expect(await h.engine().getVariables(subExecution, true)).toEqual({ scoped: { type: 'Integer', value: 2 }, outer: { type: 'String', value: 'shadow2' } });
    expect((await h.engine().getVariables(pi.id, true))['outer']).toEqual({ type: 'String', value: 'o2' });

    await h.engine().completeTask(inner!.id);
    // The subprocess's local variables ended with its scope.
    expect(await h.engine().getVariables(pi.id)).toEqual({ outer: { type: 'String', value: 'o2' }, fresh: { type: 'String', value: 'f1' } });
  });

  it('a non-local set from a concurrent execution goes to the process instance; a local one moves to the scope execution when the last branch remains', async () => {
    await h.deploy('Engine.variableConcurrent.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableConcurrent', variables: { shared: 'root' } });
    const [a, b] = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(a!.executionId).not.toBe(pi.id);
    await h.engine().setVariables(a!.executionId, { fromBranch: 1 });
    await h.engine().setVariables(a!.executionId, { shared: 'branch', branchOnly: true }, { local: true });
    expect(await h.engine().getVariables(a!.executionId, true)).toEqual({ shared: { type: 'String', value: 'branch' }, branchOnly: { type: 'Boolean', value: true } });
    expect(await h.engine().getVariables(pi.id, true)).toEqual({ shared: { type: 'String', value: 'root' }, fromBranch: { type: 'Integer', value: 1 } });
    await h.restart();
    // Branch b ends; branch a is the last one and its execution is compacted into the process instance,
    // taking its variables along (Camunda's ExecutionEntity.replace moves them, overwriting same names).
    await h.engine().completeTask(b!.id);
    expect((await h.engine().findTasks({ instanceId: pi.id }))[0]!.executionId).toBe(pi.id);
    expect(await h.engine().getVariables(pi.id, true)).toEqual({
      shared: { type: 'String', value: 'branch' },
      fromBranch: { type: 'Integer', value: 1 },
      branchOnly: { type: 'Boolean', value: true },
    });
  });

  it('execution.setVariable in a script follows the same scope rules as the API', async () => {
    await h.deploy('Engine.variableFromScript.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableFromScript', variables: { counter: 1 } });
    const [inner] = await h.engine().findTasks({ instanceId: pi.id });
    expect(await h.engine().getVariables(inner!.executionId, true)).toEqual({ scoped: { type: 'String', value: 'sub-only' } });
    expect(await h.engine().getVariables(pi.id, true)).toEqual({ counter: { type: 'Integer', value: 2 }, created: { type: 'String', value: 'new' } });
  });

  it('task variables: local ones stay on the task, the others go to the execution hierarchy', async () => {
    await h.deploy('Engine.variableTypes.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableTypes', variables: { shared: 'a' } });
    const [task] = await h.engine().findTasks({ instanceId: pi.id });

    await h.engine().setTaskVariables(task!.id, { draft: 'd1' }, true);
    await h.engine().setTaskVariables(task!.id, { shared: 'b', added: 1 });
    expect(await h.engine().getTaskVariables(task!.id, true)).toEqual({ draft: { type: 'String', value: 'd1' } });
    expect(await h.engine().getTaskVariables(task!.id)).toEqual({
      shared: { type: 'String', value: 'b' },
      added: { type: 'Integer', value: 1 },
      draft: { type: 'String', value: 'd1' },
    });
    expect(await h.engine().getVariables(pi.id)).toEqual({ shared: { type: 'String', value: 'b' }, added: { type: 'Integer', value: 1 } });
    const taskRows = await h.engine().findVariables({ taskIdIn: [task!.id] });
    expect(taskRows.map((v) => [v.name, v.executionId])).toEqual([['draft', pi.id]]);

    await h.restart();
    // A non-local set of a name the task holds locally updates the task's variable.
    await h.engine().setTaskVariables(task!.id, { draft: 'd2' });
    expect(await h.engine().getTaskVariables(task!.id, true)).toEqual({ draft: { type: 'String', value: 'd2' } });
    expect((await h.engine().getVariables(pi.id))['draft']).toBeUndefined();

    await h.engine().removeTaskVariable(task!.id, 'draft', true);
    expect(await h.engine().getTaskVariables(task!.id, true)).toEqual({});
    await h.engine().setTaskVariables(task!.id, { draft: 'd3' }, true);

    // Completion variables go to the execution, like TaskService.complete(taskId, variables).
    await h.engine().completeTask(task!.id, { approved: true });
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    const hist = await h.engine().findHistoricVariableInstances({ instanceId: pi.id });
    const byName = Object.fromEntries(hist.map((v) => [v.name, v]));
    expect(byName['approved']).toMatchObject({ taskId: null, executionId: pi.id, value: { type: 'Boolean', value: true } });
    expect(byName['draft']).toMatchObject({ taskId: task!.id, value: { type: 'String', value: 'd3' } });
  });

  it('removeVariable deletes the variable where it lives; history keeps it as DELETED', async () => {
    await h.deploy('Engine.variableScopes.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableScopes', variables: { keep: 1, drop: 2 } });
    const [inner] = await h.engine().findTasks({ instanceId: pi.id });
    await h.engine().setVariables(inner!.executionId, { localDrop: 'x' }, { local: true });

    // Removing by name from the inner execution finds the process instance's variable.
    await h.engine().removeVariable(inner!.executionId, 'drop');
    // A local remove on the process instance does not reach into the subprocess scope.
    await h.engine().removeVariable(pi.id, 'localDrop', true);
    expect(await h.engine().getVariables(inner!.executionId)).toEqual({ keep: { type: 'Integer', value: 1 }, localDrop: { type: 'String', value: 'x' } });
    await h.restart();
    await h.engine().removeVariable(inner!.executionId, 'localDrop', true);
    expect(await h.engine().getVariables(inner!.executionId)).toEqual({ keep: { type: 'Integer', value: 1 } });
    expect(await h.engine().findVariables({ instanceIdIn: [pi.id] })).toHaveLength(1);

    const live = await h.engine().findHistoricVariableInstances({ instanceId: pi.id });
    expect(live.map((v) => v.name)).toEqual(['keep']);
    const all = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, includeDeleted: true });
    expect(Object.fromEntries(all.map((v) => [v.name, v.state]))).toEqual({ keep: 'CREATED', drop: 'DELETED', localDrop: 'DELETED' });
  });

  it('at history level full every revision of a variable is a historic detail; the variable instance holds the last value', async () => {
    await h.deploy('Engine.variableTypes.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'variableTypes', variables: { amount: 10 } });
    await h.engine().setVariables(pi.id, { amount: 20 });
    await h.restart();
    await h.engine().setVariables(pi.id, { amount: 'thirty' });
    const [hvi] = await h.engine().findHistoricVariableInstances({ instanceId: pi.id, name: 'amount' });
    expect(hvi).toMatchObject({ state: 'CREATED', value: { type: 'String', value: 'thirty' }, executionId: pi.id, activityInstanceId: pi.id });
    const details = await h.engine().findHistoricDetails({ variableInstanceId: hvi!.id });
    details.sort((a, b) => a.revision - b.revision);
    expect(details.map((d) => [d.revision, d.value])).toEqual([
      [0, { type: 'Integer', value: 10 }],
      [1, { type: 'Integer', value: 20 }],
      [2, { type: 'String', value: 'thirty' }],
    ]);
    expect(details.every((d) => d.name === 'amount' && d.instanceId === pi.id)).toBe(true);
  });
});
