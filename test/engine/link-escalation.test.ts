import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite('link and escalation events', (h) => {
  it('a link throw event continues at the link catch event of the same name', async () => {
    await h.deploy('Events.link.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'linkEvents' });
    expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['onPage2']);
    const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
    expect(acts.map((a) => a.activityId)).toEqual(['start', 'goTo', 'arrive', 'onPage2']);
  });

  it('a non-interrupting escalation boundary event runs beside the subprocess that threw, and an interrupting one cancels it', async () => {
    await h.deploy('Events.escalation.bpmn');
    const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'escalations' });
    let tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['informManager', 'keepWorking']);
    expect((await h.engine().getVariables(pi.id))['escalated']?.value).toBe('LATE');
    await h.restart();
    await h.engine().completeTask(tasks.find((t) => t.taskDefinitionKey === 'keepWorking')!.id);
    tasks = await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }]);
    expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['informManager', 'takeOver']);
    const [sub] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'sub' });
    expect(sub!.canceled).toBe(true);
  });
});
