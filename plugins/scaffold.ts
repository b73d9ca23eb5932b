/**
 * `cadenzaflow plugin new <name>`: a plugin package to start from — a
 * package.json with the `cadenzaflow` manifest block and keyword, one
 * connector, a test on our harness, and a README.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PLUGIN_API_VERSION } from './plugin.js';

const NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Writes the package into `dir` (created; must not exist or be empty). Returns the files written. */
export function scaffoldPlugin(dir: string, name: string, opts: { cadenzaflowVersion?: string } = {}): string[] {
  if (!NAME.test(name)) throw new Error(`'${name}' is not a valid npm package name`);
  if (existsSync(dir)) throw new Error(`${dir} already exists; choose a new folder`);
  const short = basename(name).replace(/^cadenzaflow-plugin-/, '');
  const connectorId = `${short}-call`;
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: `CadenzaFlow plugin: ${short}`,
        type: 'module',
        main: 'index.js',
        keywords: ['cadenzaflow-plugin', 'bpmn', 'camunda'],
        cadenzaflow: { apiVersion: PLUGIN_API_VERSION, connectors: [connectorId] },
        scripts: { test: 'node --test' },
        devDependencies: { cadenzaflow: `^${opts.cadenzaflowVersion ?? '0.1.0'}` },
      },
      null,
      2,
    )}\n`,
    'index.js': `/**
 * ${name}: a CadenzaFlow plugin. CadenzaFlow calls the default export with
 * its SDK, so this package needs no runtime dependency on cadenzaflow or zod.
 * @param {import('cadenzaflow/plugins').PluginSdk} sdk
 */
export default function plugin(sdk) {
  const { z, defineConnector, definePlugin, BpmnError } = sdk;

  const call = defineConnector({
    id: '${connectorId}',
    version: '0.1.0',
    name: '${short} call',
    description: 'Says hello to a name; replace with a call to your system.',
    input: z.object({
      name: z.string().min(1).describe('Who to greet'),
      shout: z.boolean().default(false).describe('Upper-case the greeting'),
    }),
    output: z.object({ greeting: z.string() }),
    async execute(input, ctx) {
      if (input.name === 'nobody') throw new BpmnError('NO_ONE_TO_GREET', 'there is nobody to greet');
      ctx.logger.info('greeting', { activityId: ctx.activityId });
      const greeting = \`Hello \${input.name}\`;
      return { greeting: input.shout ? greeting.toUpperCase() : greeting };
    },
  });

  return definePlugin({
    name: '${name}',
    apiVersion: ${PLUGIN_API_VERSION},
    connectors: [call],
  });
}
`,
    'test/plugin.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdk, testConnector, startTestEngine } from 'cadenzaflow/testing';
import plugin from '../index.js';

const definition = plugin(sdk);
const [connector] = definition.connectors;

test('the connector greets', async () => {
  const result = await testConnector(connector, { name: 'Ada', shout: true });
  assert.deepEqual(result, { kind: 'result', output: { greeting: 'HELLO ADA' } });
});

test('a model using the connector runs on an engine with the plugin', async () => {
  const t = await startTestEngine([definition]);
  try {
    await t.deploy({
      'greet.bpmn': \`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="greet" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <bpmn:serviceTask id="call">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>${connectorId}</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="name">\\\${who}</camunda:inputParameter>
            <camunda:outputParameter name="greeting">\\\${greeting}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="wait" />
    <bpmn:userTask id="wait" />
  </bpmn:process>
</bpmn:definitions>\`,
    });
    const pi = await t.engine.startProcessInstance({ processDefinitionKey: 'greet', variables: { who: 'Bo' } });
    const vars = await t.engine.getVariables(pi.id);
    assert.equal(vars.greeting.value, 'Hello Bo');
  } finally {
    await t.close();
  }
});
`,
    'README.md': `# ${name}

A [CadenzaFlow](https://github.com/) plugin. It adds the connector \`${connectorId}\`.

## Use it
\`\`\`sh
npm install ${name}
\`\`\`
and name it in CadenzaFlow's configuration (\`cadenzaflow.config.json\`):
\`\`\`json
{ "plugins": [{ "name": "${name}" }] }
\`\`\`
In a model, a service task uses it with \`camunda:connector\` / \`camunda:connectorId\` = \`${connectorId}\`;
\`cadenzaflow templates\` writes Camunda Modeler element templates for it.

## Develop it
\`\`\`sh
npm install
npm test
\`\`\`
The test uses CadenzaFlow's harness (\`cadenzaflow/testing\`): \`testConnector\` calls the connector as the engine
would, \`startTestEngine\` runs models on a throw-away embedded engine with the plugin installed.
`,
  };
  mkdirSync(join(dir, 'test'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return Object.keys(files);
}
