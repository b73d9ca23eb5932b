/**
 * The victim of test/engine/crash.test.ts: opens an engine on a store, then
 * starts instances of Engine.crashTwoTasks.bpmn and completes their tasks in a
 * loop until it is killed. Every action is announced on stdout before it runs
 * (`BEGIN <n> …`) and confirmed after its command returned (`COMMIT <n> …`),
 * so the test knows what was committed and which single action was in flight.
 *
 *   node --import tsx test/helpers/crash-worker.ts <dataDir | pg schema>
 *
 * An existing directory means the embedded store in it; anything else is a
 * PostgreSQL schema on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { existsSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, type StoreConfig } from '../../engine/index.js';

const FIXTURE = 'Engine.crashTwoTasks.bpmn';
const PG_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Synchronous, so a line printed is a line the parent gets even if we are killed right after. */
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function storeConfig(target: string): StoreConfig {
  if (existsSync(target) && statSync(target).isDirectory()) return { dataDir: target };
  return { databaseUrl: PG_URL, schema: target, poolSize: 4 };
}

interface OpenTask {
  taskId: string;
  instanceId: string;
  key: string;
}

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: crash-worker.ts <dataDir | pg schema>');
  const engine = await Engine.create({ storeConfig: storeConfig(target) });
  const content = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bpmn', FIXTURE), 'utf8');
  await engine.deploy({ name: 'crash', enableDuplicateFiltering: true, resources: [{ name: FIXTURE, content }] });
  say('READY');

  const open: OpenTask[] = [];
  const next = async (instanceId: string): Promise<void> => {
    const [task] = await engine.findTasks({ instanceId });
    if (task) open.push({ taskId: task.id, instanceId, key: task.taskDefinitionKey });
  };
  for (let n = 1; ; n++) {
    if (open.length < 4 || n % 3 === 0) {
      const businessKey = `crash-${n}`;
      say(`BEGIN ${n} start ${businessKey}`);
      const pi = await engine.startProcessInstance({ processDefinitionKey: 'crashTwoTasks', businessKey, variables: { startedBy: n } });
      say(`COMMIT ${n} start ${businessKey} ${pi.id}`);
      await next(pi.id);
    } else {
      const task = open.shift()!;
      say(`BEGIN ${n} complete ${task.instanceId} ${task.key}`);
      await engine.completeTask(task.taskId, { [`done_${task.key}`]: n });
      say(`COMMIT ${n} complete ${task.instanceId} ${task.key}`);
      await next(task.instanceId);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
