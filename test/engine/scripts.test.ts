import { expect, it } from 'vitest';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite(
  'script tasks',
  (h) => {
    it('a JavaScript script task sets variables through execution.setVariable and its last value becomes the result variable', async () => {
      await h.deploy('Engine.scriptTaskJavascript.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskJavascript', variables: { name: 'Ada', items: ['x', 'y', 'z'] } });
      await h.restart();
      expect(await h.engine().getVariables(pi.id)).toEqual({
        name: { type: 'String', value: 'Ada' },
        items: { type: 'Json', value: ['x', 'y', 'z'] },
        greeting: { type: 'String', value: 'Hello Ada' },
        due: { type: 'Date', value: new Date(Date.UTC(2030, 0, 2)) },
        summary: { type: 'Json', value: { first: 'x', count: 3 } },
        // Assigning to a variable's global inside the script changes nothing outside it.
        lineCount: { type: 'Integer', value: 6 },
      });
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task!.taskDefinitionKey).toBe('wait');
      const [hai] = await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'compute' });
      expect(hai).toMatchObject({ activityType: 'scriptTask', canceled: false });
      expect(hai!.endTime).not.toBeNull();
    });

    it('a juel script task evaluates its expression into the result variable', async () => {
      await h.deploy('Engine.scriptTaskJuel.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskJuel', variables: { price: 7, quantity: 3, express: true } });
      expect((await h.engine().getVariables(pi.id))['total']?.value).toBe(26);
    });

    it('a groovy script deploys with a warning naming it and, when reached, fails the command clearly and rolls it back', async () => {
      const result = await h.deploy('Engine.scriptTaskGroovy.bpmn');
      expect(result.warnings).toEqual([
        expect.objectContaining({ severity: 'warning', elementId: 'legacy', resource: 'Engine.scriptTaskGroovy.bpmn', message: expect.stringContaining('groovy') }),
      ]);
      expect(result.processDefinitions.map((d) => d.key)).toEqual(['scriptTaskGroovy']);
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskGroovy' });
      const [before] = await h.engine().findTasks({ instanceId: pi.id });
      await h.restart();
      const failure = h.engine().completeTask(before!.id, { decision: 'go' });
      await expect(failure).rejects.toMatchObject({ code: 'SCRIPT' });
      await expect(failure).rejects.toThrow(/scriptTask 'legacy'.*script language 'groovy' is not supported/);
      // Nothing of the failed command is kept: the task is still open, no variable, no history.
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.id)).toEqual([before!.id]);
      expect(await h.engine().getVariables(pi.id)).toEqual({});
      expect((await h.engine().findHistoricTaskInstances({ instanceId: pi.id }))[0]!.endTime).toBeNull();
      expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'legacy' })).toEqual([]);
    });

    it('a script that runs past its time limit fails the command and leaves nothing behind', async () => {
      await h.deploy('Engine.scriptTaskEndless.bpmn');
      const started = Date.now();
      const failure = h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskEndless', businessKey: 'endless' });
      await expect(failure).rejects.toMatchObject({ code: 'SCRIPT' });
      await expect(failure).rejects.toThrow(/scriptTask 'spin'.*exceeded its time limit of 250 ms/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await h.engine().countProcessInstances({ businessKey: 'endless' })).toBe(0);
      expect(await h.engine().findHistoricProcessInstances({ businessKey: 'endless' })).toEqual([]);
    });

    it('an uncaught BPMN error thrown by a script ends the execution as Camunda does: the instance completes at the script task', async () => {
      await h.deploy('Engine.scriptTaskBpmnError.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskBpmnError' });
      expect(pi.ended).toBe(true);
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'COMPLETED', endActivityId: 'check' });
      const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
      expect(acts.map((a) => [a.activityId, a.canceled, a.completeScope])).toEqual([
        ['start', false, false],
        ['check', false, true],
      ]);
      // What the script did before throwing is kept, as the error is business, not a failure.
      expect((await h.engine().findHistoricVariableInstances({ instanceId: pi.id })).map((v) => [v.name, v.value.value])).toEqual([['checked', true]]);
    });

    it('an uncaught BPMN error in one parallel branch ends only that branch; the other goes on, across a restart', async () => {
      await h.deploy('Engine.scriptTaskBpmnErrorInBranch.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'scriptTaskBpmnErrorInBranch' });
      expect(pi.ended).toBe(false);
      const tasks = await h.engine().findTasks({ instanceId: pi.id });
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['survivor']);
      expect(await h.engine().findExecutions({ instanceId: pi.id })).toHaveLength(1);
      await h.restart();
      await h.engine().completeTask(tasks[0]!.id);
      expect(await h.engine().getProcessInstance(pi.id)).toBeNull();
      const [hpi] = await h.engine().findHistoricProcessInstances({ id: pi.id });
      expect(hpi).toMatchObject({ state: 'COMPLETED', endActivityId: 'end' });
      expect(await h.engine().findHistoricActivityInstances({ instanceId: pi.id, activityId: 'never' })).toEqual([]);
    });
  },
  () => ({ scriptLimits: { timeoutMs: 250 } }),
);
