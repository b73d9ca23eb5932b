/**
 * One engine node in a child process, for the tests that kill a node or run
 * two of them (test/engine/jobs-crash.test.ts, test/engine/two-nodes.test.ts).
 * It opens an engine on a store where the process is already deployed, runs a
 * job executor, and starts instances of the process.
 *
 *   node --import tsx test/helpers/job-node.ts '<JobNodeRequest as JSON>'
 *
 * stdout, one line per event, written synchronously so that a line the parent
 * read is a thing that happened even if it SIGKILLs the node right after:
 *
 *   READY                                  the engine is open, the executor runs
 *   BEGIN <businessKey>                    a start command is about to run
 *   COMMIT <businessKey> <instanceId>      it returned, so it committed
 *   STARTED <count>                        every start returned
 *   RAN <node> <instanceId> <activityId>   the bean `steps` ran; its command has not committed yet,
 *                                          so these lines count side effects (at least once), not steps
 *   STOPPED <count of RAN>                 after a line STOP on stdin: executor stopped, engine closed
 *
 * `${steps.run(execution)}` returns the node name, so a `resultVariable` records
 * in the engine's own history which node committed each step.
 */
import { existsSync, statSync, writeSync } from 'node:fs';
import { Engine, type JobExecutorOptions, type StoreConfig } from '../../engine/index.js';

export interface JobNodeRequest {
  /** An existing directory: the embedded store in it; anything else: a PostgreSQL schema on `databaseUrl`. */
  target: string;
  databaseUrl: string;
  /** This node's name: the executor's lock owner and what `steps.run` returns. */
  node: string;
  processKey: string;
  instances: number;
  /** Start commands in flight at once. Default 1. */
  startConcurrency?: number;
  businessKeyPrefix: string;
  executor: JobExecutorOptions;
}

interface Execution {
  getProcessInstanceId(): string;
  getCurrentActivityId(): string | null;
}

/** Synchronous, so a line printed is a line the parent gets even if it kills us right after. */
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function storeConfig(req: JobNodeRequest): StoreConfig {
  if (existsSync(req.target) && statSync(req.target).isDirectory()) return { dataDir: req.target };
  return { databaseUrl: req.databaseUrl, schema: req.target, poolSize: 4 };
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2] ?? 'null') as JobNodeRequest | null;
  if (!req) throw new Error("usage: job-node.ts '<JobNodeRequest JSON>'");
  let ran = 0;
  const engine = await Engine.create({
    storeConfig: storeConfig(req),
    beans: {
      steps: {
        run(execution: Execution): string {
          ran++;
          say(`RAN ${req.node} ${execution.getProcessInstanceId()} ${execution.getCurrentActivityId()}`);
          return req.node;
        },
      },
    },
  });
  engine.onJobExecutorFailure((e) => process.stderr.write(`job executor failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  engine.startJobExecutor({ ...req.executor, lockOwner: req.node });

  let stopping = false;
  process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
    if (stopping || !chunk.includes('STOP')) return;
    stopping = true;
    void engine.close().then(() => {
      say(`STOPPED ${ran}`);
      process.exit(0);
    }, fail);
  });
  say('READY');

  let next = 0;
  const starter = async (): Promise<void> => {
    while (next < req.instances && !stopping) {
      const businessKey = `${req.businessKeyPrefix}${next++}`;
      say(`BEGIN ${businessKey}`);
      const pi = await engine.startProcessInstance({ processDefinitionKey: req.processKey, businessKey });
      say(`COMMIT ${businessKey} ${pi.id}`);
    }
  };
  await Promise.all(Array.from({ length: req.startConcurrency ?? 1 }, starter));
  say(`STARTED ${req.instances}`);
}

function fail(e: unknown): never {
  process.stderr.write(`job-node failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}

main().catch(fail);
