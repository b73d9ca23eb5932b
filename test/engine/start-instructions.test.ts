import { expect, it } from 'vitest';
import { BadUserInputError, type ActivityInstance } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

/** The activity ids of the tree, each with its children, in a comparable form. */
function shape(ai: ActivityInstance): unknown {
  return [
    ...ai.childActivityInstances.map((c) => (c.childActivityInstances.length || c.childTransitionInstances.length ? { [c.activityId]: shape(c) } : c.activityId)),
    ...ai.childTransitionInstances.map((t) => `~${t.activityId}`),
  ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

engineSuite('process instantiation with start instructions', (h) => {
  const tasksOf = async (id: string) => (await h.engine().findTasks({ instanceId: id })).map((t) => t.taskDefinitionKey).sort();
  const complete = async (id: string, key: string) => {
    const task = (await h.engine().findTasks({ instanceId: id })).find((t) => t.taskDefinitionKey === key)!;
    await h.engine().completeTask(task.id);
  };
  const ranActivities = async (id: string) => (await h.engine().findHistoricActivityInstances({ instanceId: id })).map((a) => a.activityId).sort();

  it('start before a user task inside nested subprocesses instantiates both scopes without their start events, survives a restart and completes to the end', async () => {
    await h.deploy('StartInstructions.nestedSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'siNested', startInstructions: [{ type: 'startBeforeActivity', activityId: 'work' }] });
    expect(pi.ended).toBe(false);
    await h.restart();
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([{ outer: [{ inner: ['work'] }] }]);
    // The outer scope's input mapping ran: a scope variable of the subprocess, not of the instance.
    const work = (await h.engine().findTasks({ instanceId: pi.id }))[0]!;
    expect(await h.engine().getVariables(work.executionId)).toMatchObject({ outerIn: { value: 'mapped' }, processListenerRan: { value: true } });
    expect(await h.engine().getVariables(pi.id)).not.toHaveProperty('outerIn');
    expect(await ranActivities(pi.id)).toEqual(['inner', 'outer', 'work']);
    expect(await h.engine().findHistoricProcessInstances({ id: pi.id })).toMatchObject([{ startActivityId: 'work' }]);

    await complete(pi.id, 'work');
    expect(await tasksOf(pi.id)).toEqual(['after']);
    await complete(pi.id, 'after');
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    expect(await h.engine().findHistoricProcessInstances({ id: pi.id })).toMatchObject([{ state: 'COMPLETED', endActivityId: 'end' }]);
    expect(await ranActivities(pi.id)).toEqual(['after', 'end', 'inner', 'innerEnd', 'outer', 'outerEnd', 'work']);
  });

  it('start after an activity takes its single outgoing flow without running the activity', async () => {
    await h.deploy('StartInstructions.parallel.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'siParallel', startInstructions: [{ type: 'startAfterActivity', activityId: 'join' }] });
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['review']);
    expect(await ranActivities(pi.id)).toEqual(['review']);
    expect(await h.engine().findHistoricProcessInstances({ id: pi.id })).toMatchObject([{ startActivityId: 'review' }]);
  });

  it('start transition takes the named sequence flow into its target', async () => {
    await h.deploy('StartInstructions.parallel.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'siParallel', startInstructions: [{ type: 'startTransition', transitionId: 'toReview' }] });
    expect(await tasksOf(pi.id)).toEqual(['review']);
    await complete(pi.id, 'review');
    expect(await h.engine().findHistoricProcessInstances({ id: pi.id })).toMatchObject([{ state: 'COMPLETED' }]);
  });

  it('several instructions start two parallel branches that join after a restart', async () => {
    await h.deploy('StartInstructions.parallel.bpmn');
    const pi = await h.engine().startProcessInstance({
      processDefinitionKey: 'siParallel',
      startInstructions: [
        { type: 'startBeforeActivity', activityId: 'taskA' },
        { type: 'startBeforeActivity', activityId: 'taskB' },
      ],
    });
    await h.restart();
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['taskA', 'taskB']);
    await complete(pi.id, 'taskA');
    expect(await tasksOf(pi.id)).toEqual(['taskB']);
    await complete(pi.id, 'taskB');
    expect(await tasksOf(pi.id)).toEqual(['review']);
    expect(await ranActivities(pi.id)).not.toContain('prepare');
  });

  it('variables of an instruction land where Camunda puts them: global ones on the instance, local ones on the new execution', async () => {
    await h.deploy('StartInstructions.nestedSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({
      processDefinitionKey: 'siNested',
      variables: { customer: 'acme' },
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'work', variablesGlobal: { orderId: 7 }, variables: { note: 'here' } }],
    });
    const work = (await h.engine().findTasks({ instanceId: pi.id }))[0]!;
    expect(await h.engine().getVariables(pi.id, true)).toMatchObject({ customer: { value: 'acme' }, orderId: { value: 7 } });
    expect(await h.engine().getVariables(pi.id, true)).not.toHaveProperty('note');
    expect(await h.engine().getVariables(work.executionId, true)).toMatchObject({ note: { value: 'here' } });
  });

  it('skipIoMappings skips the input mapping of an instantiated scope and skipCustomListeners the process start listener', async () => {
    await h.deploy('StartInstructions.nestedSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({
      processDefinitionKey: 'siNested',
      skipIoMappings: true,
      skipCustomListeners: true,
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'work' }],
    });
    const work = (await h.engine().findTasks({ instanceId: pi.id }))[0]!;
    const vars = await h.engine().getVariables(work.executionId);
    expect(vars).not.toHaveProperty('outerIn');
    expect(vars).not.toHaveProperty('processListenerRan');
    await expect(h.engine().startProcessInstance({ processDefinitionKey: 'siNested', skipIoMappings: true })).rejects.toThrow(
      'Custom listeners and input/output mappings can only be skipped when the process instance starts with start instructions',
    );
  });

  it('an unknown activity is refused naming the instruction and the id, and nothing of the start is persisted', async () => {
    await h.deploy('StartInstructions.parallel.bpmn');
    const openTasks = (await h.engine().findTasks({})).length;
    const error = await h
      .engine()
      .startProcessInstance({
        processDefinitionKey: 'siParallel',
        businessKey: 'refused',
        startInstructions: [
          { type: 'startBeforeActivity', activityId: 'taskA' },
          { type: 'startBeforeActivity', activityId: 'nope' },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).field).toBe('startInstructions[1].activityId');
    expect((error as BadUserInputError).message).toMatch(/^Cannot perform start instruction 1: Start before activity 'nope'; Element 'nope' does not exist in process 'siParallel:/);
    expect(await h.engine().findProcessInstances({ businessKey: 'refused' })).toEqual([]);
    expect(await h.engine().findHistoricProcessInstances({ businessKey: 'refused' })).toEqual([]);
    expect(await h.engine().findTasks({})).toHaveLength(openTasks);
  });

  it('startBeforeActivityIds is shorthand for start before instructions, also inside a subprocess', async () => {
    await h.deploy('StartInstructions.nestedSubprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'siNested', startBeforeActivityIds: ['work'] });
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual([{ outer: [{ inner: ['work'] }] }]);
    await expect(
      h.engine().startProcessInstance({ processDefinitionKey: 'siNested', startBeforeActivityIds: ['work'], startInstructions: [{ type: 'startBeforeActivity', activityId: 'after' }] }),
    ).rejects.toThrow('Give either start instructions or activities to start before, not both');
  });
});
