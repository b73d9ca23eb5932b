/**
 * bpmn-engine (paed01) as the in-memory peer: no persistence, one `Engine`
 * per process instance, as its documentation runs a definition.
 *
 * The XML is parsed and serialized once per shape and every instance starts
 * from that `sourceContext`, because CadenzaFlow also compiles a definition
 * once at deploy time; re-parsing per instance would measure bpmn-moddle.
 *
 * bpmn-elements treats `manualTask` as a wait state (it is a SignalTask there),
 * while Camunda passes through it. To run the same semantics the manual task
 * is mapped to bpmn-elements' pass-through `Task` behaviour.
 *
 * Its default logger builds a `debug` logger per element of every instance
 * (about 15% of its CPU time here, output disabled); CadenzaFlow logs nothing
 * per instance, so the peer gets the documented `Logger` option with no-ops.
 */
import { EventEmitter } from 'node:events';
import * as Elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import serializeContext, { TypeResolver, type SerializableContext } from 'moddle-context-serializer';
import type { Shape } from '../shapes.js';
import type { BenchTarget } from '../target.js';

/** bpmn-engine's element api as far as the benchmark uses it. */
interface ElementApi {
  id: string;
  signal(message?: unknown): void;
}

const noop = (): void => undefined;
const silentLogger = () => ({ debug: noop, error: noop, warn: noop });

export async function openBpmnEngine(shape: Shape): Promise<BenchTarget> {
  const moddle = new BpmnModdle();
  const parsed = await moddle.fromXML(shape.xml('bpmn-engine'));
  const sourceContext: SerializableContext = serializeContext(parsed as never, TypeResolver({ ...Elements, ManualTask: Elements.Task }));
  let endsReached = 0;
  let seq = 0;

  return {
    async runOne() {
      const listener = new EventEmitter();
      listener.on('activity.end', (api: ElementApi) => {
        if (api.id === shape.endId) endsReached++;
      });
      const engine = new Engine({ name: `bench-${++seq}`, sourceContext, variables: { ...shape.variables }, Logger: silentLogger });
      const ended = engine.waitFor('end');
      const execution = await engine.execute({ listener });
      if (shape.messageCatch) {
        // bpmn-engine's documented way to deliver a message: `execution.signal` with the message's id, which its
        // MessageEventDefinition matches; the catch event must be waiting first, as the correlation requires in CadenzaFlow.
        if (!execution.getPostponed().some((a) => a.id === shape.messageCatch!.id)) {
          throw new Error(`bpmn-engine: '${shape.messageCatch.id}' not postponed after start (state ${execution.state})`);
        }
        execution.signal({ id: shape.messageCatch.messageId });
      } else if (shape.userTasks.length > 0) {
        const tasks = execution.getPostponed().filter((a) => shape.userTasks.includes(a.id)) as ElementApi[];
        if (tasks.length !== shape.userTasks.length) throw new Error(`bpmn-engine: ${tasks.length} of ${shape.userTasks.length} user tasks postponed after start (state ${execution.state})`);
        for (const task of tasks) task.signal();
      }
      await ended;
      if (execution.isRunning) throw new Error('bpmn-engine: execution still running after end');
    },
    async completed() {
      return endsReached;
    },
    async close() {},
  };
}
