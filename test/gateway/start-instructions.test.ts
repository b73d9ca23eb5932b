import { expect, it } from 'vitest';
import { graphqlSuite } from './graphql-harness.js';

const START = `mutation($input: StartProcessInstanceInput!) {
  startProcessInstance(input: $input) { id state activeActivityIds variables { name value } tasks { name } }
}`;

graphqlSuite('GraphQL start instructions', (h) => {
  it('startProcessInstance starts inside nested subprocesses and after an activity, with instruction variables, and names a refused instruction', async () => {
    expect((await h.deployFixtures('StartInstructions.nestedSubprocess.bpmn', 'StartInstructions.parallel.bpmn')).errors).toBeUndefined();

    const started = await h.gql(START, {
      input: {
        processDefinitionKey: 'siNested',
        startInstructions: [{ type: 'START_BEFORE_ACTIVITY', activityId: 'work', variables: [{ name: 'orderId', type: 'Integer', value: 7 }], localVariables: [{ name: 'note', value: 'here' }] }],
      },
    });
    expect(started.errors).toBeUndefined();
    const pi = started.data.startProcessInstance;
    expect(pi).toMatchObject({ state: 'ACTIVE', activeActivityIds: ['work'] });
    expect(pi.variables).toContainEqual({ name: 'orderId', value: 7 });
    expect(pi.variables.map((v: { name: string }) => v.name)).not.toContain('note');

    const after = await h.gql(START, { input: { processDefinitionKey: 'siParallel', startInstructions: [{ type: 'START_AFTER_ACTIVITY', activityId: 'join' }] } });
    expect(after.data.startProcessInstance.activeActivityIds).toEqual(['review']);

    const refused = await h.gql(START, {
      input: { processDefinitionKey: 'siParallel', startInstructions: [{ type: 'START_TRANSITION', transitionId: 'toReview' }, { type: 'START_TRANSITION', transitionId: 'nope' }] },
    });
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'startInstructions[1].transitionId' } })]);
    expect(refused.errors![0]!.message).toContain("Start transition 'nope'; Element 'nope' does not exist");
  });

  it('startProcessInstance passes skipIoMappings and skipCustomListeners to the start instructions, and the engine refuses them without instructions', async () => {
    expect((await h.deployFixtures('StartInstructions.nestedSubprocess.bpmn')).errors).toBeUndefined();
    const VISIBLE = `mutation($input: StartProcessInstanceInput!) {
      startProcessInstance(input: $input) { activeActivityIds variables { name } tasks { taskDefinitionKey variables { name value } } }
    }`;
    const instructions = [{ type: 'START_BEFORE_ACTIVITY', activityId: 'work' }];

    const mapped = await h.gql(VISIBLE, { input: { processDefinitionKey: 'siNested', startInstructions: instructions } });
    expect(mapped.errors).toBeUndefined();
    expect(mapped.data.startProcessInstance.tasks[0].variables).toContainEqual({ name: 'outerIn', value: 'mapped' });
    expect(mapped.data.startProcessInstance.variables).toContainEqual({ name: 'processListenerRan' });

    const skipped = await h.gql(VISIBLE, { input: { processDefinitionKey: 'siNested', startInstructions: instructions, skipIoMappings: true, skipCustomListeners: true } });
    expect(skipped.errors).toBeUndefined();
    expect(skipped.data.startProcessInstance).toMatchObject({ activeActivityIds: ['work'], variables: [], tasks: [{ taskDefinitionKey: 'work', variables: [] }] });

    const refused = await h.gql(START, { input: { processDefinitionKey: 'siNested', skipIoMappings: true } });
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: 'Custom listeners and input/output mappings can only be skipped when the process instance starts with start instructions',
        extensions: { code: 'BAD_USER_INPUT', field: 'skipIoMappings' },
      }),
    ]);
  });
});
