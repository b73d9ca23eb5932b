import { expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { engineSuite, fixture } from '../helpers/engine-harness.js';

const clock = new TestClock();

engineSuite(
  'conditional start events',
  (h) => {
    const startActivity = async (instanceId: string) => (await h.engine().findHistoricProcessInstances({ id: instanceId }))[0]?.startActivityId;

    it('deploying a process creates one conditional start subscription per conditional start event, which the next version replaces', async () => {
      const first = await h.deploy('ConditionalStart.single.bpmn');
      const v1 = first.processDefinitions[0]!;
      const subs = await h.engine().findEventSubscriptions({ type: 'conditional', definitionId: v1.id });
      expect(subs).toEqual([expect.objectContaining({ type: 'conditional', eventName: null, instanceId: null, executionId: null, activityId: 'largeOrder' })]);
      const second = await h.deploy('ConditionalStart.single.bpmn');
      const v2 = second.processDefinitions[0]!;
      expect(await h.engine().findEventSubscriptions({ type: 'conditional', definitionId: v1.id })).toEqual([]);
      expect(await h.engine().findEventSubscriptions({ type: 'conditional', definitionId: v2.id })).toHaveLength(1);
    });

    it('a condition that holds for the given variables starts an instance at the conditional start event with those variables and the business key', async () => {
      await h.deploy('ConditionalStart.single.bpmn');
      const started = await h.engine().evaluateConditions({ variables: { amount: 500 }, businessKey: 'big-1' });
      expect(started).toEqual([expect.objectContaining({ definitionKey: 'conditionalStartSingle', businessKey: 'big-1', ended: false })]);
      const pi = started[0]!;
      expect(await startActivity(pi.id)).toBe('largeOrder');
      expect((await h.engine().getVariables(pi.id))['amount']).toEqual({ type: 'Integer', value: 500 });
      await h.restart();
      const [task] = await h.engine().findTasks({ instanceId: pi.id });
      expect(task?.taskDefinitionKey).toBe('review');
    });

    it('a condition that does not hold, or names a variable that was not given, starts nothing', async () => {
      await h.deploy('ConditionalStart.single.bpmn');
      const before = await h.engine().countProcessInstances({ definitionKey: 'conditionalStartSingle' });
      expect(await h.engine().evaluateConditions({ variables: { amount: 5 } })).toEqual([]);
      expect(await h.engine().evaluateConditions({ variables: { unrelated: true } })).toEqual([]);
      expect(await h.engine().countProcessInstances({ definitionKey: 'conditionalStartSingle' })).toBe(before);
    });

    it('every conditional start event whose condition holds starts its own instance; camunda:variableName requires that variable', async () => {
      await h.deploy('ConditionalStart.multiple.bpmn');
      const started = await h.engine().evaluateConditions({ variables: { foo: 1, bar: true } });
      expect((await Promise.all(started.map((pi) => startActivity(pi.id)))).sort()).toEqual(['barIsTrue', 'fooIsOne']);
      const triggered = await h.engine().evaluateConditions({ variables: { trigger: 'now', baz: 'go' } });
      expect((await Promise.all(triggered.map((pi) => startActivity(pi.id)))).sort()).toEqual(['byScript', 'whenTriggerGiven']);
    });

    it('a process definition id limits the evaluation to that definition, even when it is not the latest version', async () => {
      const older = (await h.deploy('ConditionalStart.multiple.bpmn')).processDefinitions[0]!;
      await h.deploy('ConditionalStart.multiple.bpmn');
      const started = await h.engine().evaluateConditions({ variables: { foo: 2 }, processDefinitionId: older.id });
      expect(started).toEqual([expect.objectContaining({ definitionId: older.id })]);
      expect(await startActivity(started[0]!.id)).toBe('fooIsTwo');
    });

    it("a definition without conditional start events, an unknown definition and an empty tenant are refused with Camunda's messages", async () => {
      const none = (await h.deploy('Messages.catch.bpmn')).processDefinitions[0]!;
      await expect(h.engine().evaluateConditions({ processDefinitionId: none.id })).rejects.toThrow(
        `Process definition with id '${none.id}' does not declare conditional start event.`,
      );
      await expect(h.engine().evaluateConditions({ processDefinitionId: 'noSuchDefinition' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(h.engine().evaluateConditions({ tenantId: 'nobody', variables: { amount: 500 } })).rejects.toThrow(
        'No subscriptions were found during evaluation of the conditional start events.',
      );
      await expect(h.engine().evaluateConditions({ tenantId: 't1', withoutTenantId: true })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('tenants: a tenant id limits the evaluation to that tenant, withoutTenantId to definitions without one', async () => {
      const xml = fixture('ConditionalStart.single.bpmn');
      const tenantDef = (await h.engine().deploy({ name: 'tenant', tenantId: 'acme', resources: [{ name: 'ConditionalStart.single.bpmn', content: xml }] })).processDefinitions[0]!;
      await h.deploy('ConditionalStart.single.bpmn');
      const forTenant = await h.engine().evaluateConditions({ tenantId: 'acme', variables: { amount: 101 } });
      expect(forTenant).toEqual([expect.objectContaining({ definitionId: tenantDef.id, tenantId: 'acme' })]);
      const withoutTenant = await h.engine().evaluateConditions({ withoutTenantId: true, variables: { amount: 101 } });
      expect(withoutTenant).toEqual([expect.objectContaining({ definitionKey: 'conditionalStartSingle', tenantId: null })]);
    });

    it('a suspended definition is not started by its conditional start events', async () => {
      const def = (await h.deploy('ConditionalStart.single.bpmn')).processDefinitions[0]!;
      await h.engine().suspendProcessDefinition(def.id);
      expect(await h.engine().evaluateConditions({ withoutTenantId: true, variables: { amount: 1000 } })).toEqual([]);
      await h.engine().suspendProcessDefinition(def.id, false);
      expect(await h.engine().evaluateConditions({ withoutTenantId: true, variables: { amount: 1000 } })).toHaveLength(1);
    });

    it("a process's conditional start events follow Camunda's parser rules: a condition is required, and two may not share one", async () => {
      const error = await h
        .engine()
        .deploy({ name: 'dup', resources: [{ name: 'ConditionalStart.duplicate.bpmn', content: fixture('ConditionalStart.duplicate.bpmn') }] })
        .then(
          () => null,
          (e: unknown) => e as { code: string; problems: { severity: string; elementId?: string; message: string }[] },
        );
      expect(error?.code).toBe('MODEL_INVALID');
      expect(error!.problems.map((p) => [p.severity, p.elementId, p.message])).toEqual(
        expect.arrayContaining([
          ['error', 'noCondition', 'Conditional event must contain an expression for evaluation.'],
          ['error', 'second', "Cannot have more than one conditional event subscription with the same condition '${variable == 1}'"],
          ['warning', 'second', expect.stringContaining('camunda:variableEvents has no effect on conditional start event')],
        ]),
      );
    });

    it('a non-interrupting conditional event subprocess starts when its variable changes so that the condition holds, also after a restart', async () => {
      await h.deploy('ConditionalStart.eventSubprocess.bpmn');
      const pi = await h.engine().startProcessInstance({ processDefinitionKey: 'conditionalEventSubprocess', variables: { daysLate: 0 } });
      await h.restart();
      await h.engine().setVariables(pi.id, { daysLate: 2 });
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['work']);
      await h.engine().setVariables(pi.id, { daysLate: 5 });
      const keys = (await h.engine().findTasks({ instanceId: pi.id }, {}, [{ by: 'taskDefinitionKey' }])).map((t) => t.taskDefinitionKey);
      expect(keys).toEqual(['remind', 'work']);
    });
  },
  () => ({ clock }),
);
