import { expect, it } from 'vitest';
import { BpmnError } from '../../engine/index.js';
import { engineSuite } from '../helpers/engine-harness.js';

engineSuite(
  'BPMN errors',
  (h) => {
    it('an error boundary event catches a BpmnError of its code thrown by a service and sets the code and message variables', async () => {
      await h.deploy('Errors.boundary.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'errorBoundary', variables: { item: 'unicorn' } });
      const tasks = await h.engine().findTasks({ instanceId: pi.id });
      expect(tasks.map((t) => t.taskDefinitionKey)).toEqual(['handleMissing']);
      const vars = await h.engine().getVariables(pi.id);
      expect(vars['code']?.value).toBe('NOT_FOUND');
      expect(vars['reason']?.value).toBe('no unicorn in stock');
      const acts = await h.engine().findHistoricActivityInstances({ instanceId: pi.id }, {}, [{ by: 'sequenceCounter' }]);
      expect(acts.map((a) => [a.activityId, a.activityType, a.canceled])).toEqual([
        ['start', 'startEvent', false],
        ['lookup', 'serviceTask', true],
        ['onNotFound', 'boundaryError', false],
        ['handleMissing', 'userTask', false],
      ]);
    });

    it('a service that succeeds takes the normal flow', async () => {
      await h.deploy('Errors.boundary.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'errorBoundary', variables: { item: 'book' } });
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['ship']);
    });

    it('an error end event in a subprocess is caught by a catch-all boundary event on the subprocess', async () => {
      await h.deploy('Errors.boundary.bpmn');
      const bad = await h.engine().startProcessInstance({ processDefinitionKey: 'errorEndInSubprocess', variables: { valid: false } });
      expect((await h.engine().findTasks({ instanceId: bad.id })).map((t) => t.taskDefinitionKey)).toEqual(['repair']);
      const [sub] = await h.engine().findHistoricActivityInstances({ instanceId: bad.id, activityId: 'sub' });
      expect(sub!.canceled).toBe(true);
      const good = await h.engine().startProcessInstance({ processDefinitionKey: 'errorEndInSubprocess', variables: { valid: true } });
      expect((await h.engine().findTasks({ instanceId: good.id })).map((t) => t.taskDefinitionKey)).toEqual(['fine']);
    });
  },
  () => ({
    beans: {
      catalog: {
        lookup(item: string) {
          if (item === 'unicorn') throw new BpmnError('NOT_FOUND', `no ${item} in stock`);
          return item;
        },
      },
    },
  }),
);
