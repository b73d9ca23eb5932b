import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite('conditional events', (h) => {
  it('a conditional catch event passes at once when its condition already holds', async () => {
    await h.deploy('Events.conditional.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'conditionalEvents', variables: { stock: 3, priority: 'low' } });
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['pick']);
  });

  it('a conditional catch event waits until a variable change makes its condition true, also across a restart', async () => {
    await h.deploy('Events.conditional.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'conditionalEvents', variables: { stock: 0, priority: 'low' } });
    expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
    await h.engine().setVariables(pi.id, { stock: 0 });
    expect(await h.engine().findTasks({ instanceId: pi.id })).toEqual([]);
    await h.restart();
    await h.engine().setVariables(pi.id, { stock: 5 });
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['pick']);
  });

  it('a non-interrupting conditional boundary event fires only on changes of its variable', async () => {
    await h.deploy('Events.conditional.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'conditionalEvents', variables: { stock: 1, priority: 'high' } });
    // Already true when the task starts, but nothing changed since: no event yet.
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['pick']);
    await h.engine().setVariables(pi.id, { stock: 2 });
    expect(await h.engine().countTasks({ instanceId: pi.id })).toBe(1);
    await h.engine().setVariables(pi.id, { priority: 'high' });
    const tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['expedite', 'pick']);
  });
});
