import { expect, it } from 'vitest';
import type { ActivityInstance } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

/** The activity ids of the tree, each with its children, in a comparable form. */
function shape(ai: ActivityInstance): unknown {
  return [
    ...ai.childActivityInstances.map((c) => (c.childActivityInstances.length || c.childTransitionInstances.length ? { [c.activityId]: shape(c) } : c.activityId)),
    ...ai.childTransitionInstances.map((t) => `~${t.activityId}`),
  ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

engineSuite('process instance modification', (h) => {
  const tasksOf = async (id: string) => (await h.engine().findTasks({ instanceId: id })).map((t) => t.taskDefinitionKey).sort();

  it('start before a user task of a parallel branch adds a second instance of it, and it survives a restart', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'taskA' }] });
    await h.restart();
    expect(await tasksOf(pi.id)).toEqual(['taskA', 'taskA', 'taskB']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['taskA', 'taskA', 'taskB']);
  });

  it('start after an activity takes its single outgoing flow', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startAfterActivity', activityId: 'join' }] });
    expect(await tasksOf(pi.id)).toEqual(['taskA', 'taskB', 'taskC']);
  });

  it('start after an activity with several outgoing flows is refused with the activity named', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await expect(h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startAfterActivity', activityId: 'fork' }] })).rejects.toThrow(
      "Cannot perform instruction: Start after activity 'fork'; Element 'fork' has more than one outgoing sequence flow",
    );
  });

  it('start transition takes the flow into its target', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startTransition', transitionId: 'f6' }] });
    expect(await tasksOf(pi.id)).toEqual(['taskA', 'taskB', 'taskC']);
  });

  it('an unknown activity is refused with Camunda message and nothing changes', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await expect(
      h.engine().modifyProcessInstance(pi.id, {
        instructions: [
          { type: 'cancel', activityId: 'taskA' },
          { type: 'startBeforeActivity', activityId: 'nope' },
        ],
      }),
    ).rejects.toThrow(/Cannot perform instruction: Start before activity 'nope'; Element 'nope' does not exist in process 'modParallel:/);
    expect(await tasksOf(pi.id)).toEqual(['taskA', 'taskB']);
  });

  it('cancel by activity id cancels the branch and the remaining branch still reaches the join', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityId: 'taskA' }, { type: 'startBeforeActivity', activityId: 'join' }] });
    await h.restart();
    expect(await tasksOf(pi.id)).toEqual(['taskB']);
    const [b] = await h.engine().findTasks({ instanceId: pi.id });
    await h.engine().completeTask(b!.id);
    expect(await tasksOf(pi.id)).toEqual(['taskC']);
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'taskA' });
    expect(acts.map((a) => a.canceled)).toEqual([true]);
  });

  it('cancel by activity instance id cancels only that instance', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'taskB' }] });
    const tree = await h.engine().getActivityInstanceTree(pi.id);
    const firstB = tree.childActivityInstances.find((c) => c.activityId === 'taskB')!;
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityInstanceId: firstB.id }] });
    const after = await h.engine().getActivityInstanceTree(pi.id);
    expect(shape(after)).toEqual(['taskA', 'taskB']);
    expect(after.childActivityInstances.map((c) => c.id)).not.toContain(firstB.id);
    await expect(h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityInstanceId: firstB.id }] })).rejects.toThrow(
      `Cannot perform instruction: Cancel activity instance '${firstB.id}'; Activity instance '${firstB.id}' does not exist`,
    );
  });

  it('cancelling every activity instance ends the process instance, internally terminated unless the cancellation source is external', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityId: 'taskA' }, { type: 'cancel', activityId: 'taskB' }] });
    expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
    expect(await h.engine().findHistoricProcessInstances({ id: pi.id })).toMatchObject([{ state: 'INTERNALLY_TERMINATED' }]);
    expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);

    const external = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().modifyProcessInstance(external.id, { cancellationSourceExternal: true, instructions: [{ type: 'cancel', activityInstanceId: external.id }] });
    expect(await h.engine().findHistoricProcessInstances({ id: external.id })).toMatchObject([{ state: 'EXTERNALLY_TERMINATED' }]);
  });

  it('cancelling the only token and starting elsewhere in the same modification moves the instance', async () => {
    await h.deploy('Modification.subprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modSubprocess' });
    await h.engine().modifyProcessInstance(pi.id, {
      instructions: [
        { type: 'cancel', activityId: 'first' },
        { type: 'startBeforeActivity', activityId: 'last' },
      ],
    });
    expect(await tasksOf(pi.id)).toEqual(['last']);
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['last']);
  });

  it('starting inside a subprocess that is not active creates its scope instance, and the subprocess completes normally after a restart', async () => {
    await h.deploy('Modification.subprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modSubprocess' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'inner', variables: { note: 'moved' } }] });
    await h.restart();
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['first', { sub: ['inner'] }]);
    const inner = (await h.engine().findTasks({ instanceId: pi.id })).find((t) => t.taskDefinitionKey === 'inner')!;
    expect(await h.engine().getVariables(inner.executionId, true)).toMatchObject({ note: { value: 'moved' } });
    expect(await h.engine().getVariables(pi.id)).not.toHaveProperty('note');
    await h.engine().completeTask(inner.id);
    // The async service task inside waits as a transition instance.
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['first', { sub: ['~innerAsync'] }]);
    await h.restart();
    await h.engine().runDueJobs();
    expect(await tasksOf(pi.id)).toEqual(['first', 'last']);
  });

  it('start before an async activity creates a transition instance that can be cancelled by its id', async () => {
    await h.deploy('Modification.subprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modSubprocess' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'innerAsync' }] });
    const tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(shape(tree)).toEqual(['first', { sub: ['~innerAsync'] }]);
    const sub = tree.childActivityInstances.find((c) => c.activityId === 'sub')!;
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', transitionInstanceId: sub.childTransitionInstances[0]!.id }] });
    // The subprocess had no other token, so its instance went with it.
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['first']);
    expect(await h.engine().findJobs({ instanceId: pi.id })).toEqual([]);
  });

  it('a second start inside an active subprocess instance joins that instance, and an unknown ancestor is refused', async () => {
    await h.deploy('Modification.subprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modSubprocess' });
    await h.engine().modifyProcessInstance(pi.id, {
      instructions: [
        { type: 'startBeforeActivity', activityId: 'inner' },
        { type: 'startBeforeActivity', activityId: 'inner' },
      ],
    });
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['first', { sub: ['inner', 'inner'] }]);
    await expect(
      h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'inner', ancestorActivityInstanceId: 'sub:nope' }] }),
    ).rejects.toThrow("Ancestor activity instance 'sub:nope' does not exist");
  });
  it('start before runs the activity listeners and input mappings unless the modification skips them', async () => {
    await h.deploy('Modification.listenersAndMappings.bpmn');
    const plain = await h.engine().startProcessInstance({ processDefinitionKey: 'modListeners' });
    await h.engine().modifyProcessInstance(plain.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'mapped' }] });
    const mapped = (await h.engine().findTasks({ instanceId: plain.id })).find((t) => t.taskDefinitionKey === 'mapped')!;
    expect(await h.engine().getVariables(mapped.executionId)).toMatchObject({ heard: { value: true }, mappedIn: { value: 'mapped' } });

    const skipped = await h.engine().startProcessInstance({ processDefinitionKey: 'modListeners' });
    await h.engine().modifyProcessInstance(skipped.id, { skipCustomListeners: true, skipIoMappings: true, instructions: [{ type: 'startBeforeActivity', activityId: 'mapped' }] });
    const task = (await h.engine().findTasks({ instanceId: skipped.id })).find((t) => t.taskDefinitionKey === 'mapped')!;
    const vars = await h.engine().getVariables(task.executionId);
    expect(vars).not.toHaveProperty('heard');
    expect(vars).not.toHaveProperty('mappedIn');
  });

  it('a suspended process instance cannot be modified', async () => {
    await h.deploy('Modification.parallelTasks.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modParallel' });
    await h.engine().suspendProcessInstance(pi.id);
    await expect(h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityId: 'taskA' }] })).rejects.toThrow(
      `Cannot modify process instance '${pi.id}': process instance '${pi.id}' is suspended`,
    );
  });
  it('a timer the only token waits at keeps waiting when a start before makes that token concurrent, across a restart', async () => {
    await h.deploy('Modification.timerWait.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modTimerWait' });
    await h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'side' }] });
    await h.restart();
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['side', 'wait']);
    const [timer] = await h.engine().findJobs({ instanceId: pi.id });
    const waiting = (await h.engine().getActivityInstanceTree(pi.id)).childActivityInstances.find((c) => c.activityId === 'wait')!;
    expect(timer!.executionId).toBe(waiting.executionIds[0]);
    await h.engine().executeJob(timer!.id);
    expect(await tasksOf(pi.id)).toEqual(['after', 'side']);
  });

  it('an ancestor activity instance id of the process instance creates a second instance of the subprocess; cancelling one of two tokens keeps the subprocess', async () => {
    await h.deploy('Modification.subprocess.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'modSubprocess' });
    await h.engine().modifyProcessInstance(pi.id, {
      instructions: [
        { type: 'startBeforeActivity', activityId: 'inner' },
        { type: 'startBeforeActivity', activityId: 'inner', ancestorActivityInstanceId: pi.id },
      ],
    });
    expect(shape(await h.engine().getActivityInstanceTree(pi.id))).toEqual(['first', { sub: ['inner'] }, { sub: ['inner'] }]);
    await expect(h.engine().modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'inner' }] })).rejects.toThrow(
      "Cannot perform instruction: Start before activity 'inner'; Ancestor activity instance id is required: scope 'sub' has 2 instances",
    );
    const [sub1, sub2] = (await h.engine().getActivityInstanceTree(pi.id)).childActivityInstances.filter((c) => c.activityId === 'sub');
    await h.engine().modifyProcessInstance(pi.id, {
      instructions: [
        { type: 'startBeforeActivity', activityId: 'inner', ancestorActivityInstanceId: sub1!.id },
        { type: 'cancel', activityInstanceId: sub1!.childActivityInstances[0]!.id },
        { type: 'cancel', activityInstanceId: sub2!.childActivityInstances[0]!.id },
      ],
    });
    const tree = await h.engine().getActivityInstanceTree(pi.id);
    expect(shape(tree)).toEqual(['first', { sub: ['inner'] }]);
    expect(tree.childActivityInstances.find((c) => c.activityId === 'sub')!.id).toBe(sub1!.id);
    const inner = (await h.engine().findTasks({ instanceId: pi.id })).find((t) => t.taskDefinitionKey === 'inner')!;
    await h.engine().completeTask(inner.id);
    await h.engine().runDueJobs();
    expect(await tasksOf(pi.id)).toEqual(['first', 'last']);
  });
});
