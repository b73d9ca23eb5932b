/**
 * The process shapes of Camunda 7's engine performance suite, generated as
 * BPMN XML: sequences of manual tasks, exclusive gateways in a row, nested
 * embedded subprocesses and one user task.
 *
 * Both engines run the same XML except for the condition syntax: JUEL
 * `${skip}` for CadenzaFlow, and `${environment.variables.skip}` for
 * bpmn-engine, whose expressions resolve property paths from its environment.
 * Either way the gateway looks a process variable up and compares nothing else.
 */

/** How a conditional sequence flow reads the variable `skip`. */
export type ConditionDialect = 'juel' | 'bpmn-engine';

export interface Shape {
  /** Stable id used by BENCH_SHAPES and as the process definition key. */
  readonly id: string;
  /** Row label in the results table. */
  readonly label: string;
  /** The instance waits in a user task that a second command completes. */
  readonly userTask: boolean;
  /** Start variables; `skip` is false so every gateway evaluates its condition and takes the default flow. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Id of the end event every instance must reach. */
  readonly endId: string;
  xml(dialect: ConditionDialect): string;
}

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'id="bench" targetNamespace="http://cadenzaflow.org/bench">\n';

function definitions(key: string, body: string[]): string {
  return `${HEADER}  <process id="${key}" isExecutable="true">\n${indent(body, '    ')}\n  </process>\n</definitions>\n`;
}

function indent(lines: string[], by: string): string {
  return lines.flatMap((l) => l.split('\n')).map((l) => by + l).join('\n');
}

function flow(id: string, from: string, to: string, condition?: string): string {
  if (condition === undefined) return `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
  return `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><conditionExpression xsi:type="tFormalExpression">${condition}</conditionExpression></sequenceFlow>`;
}

/** Builds a chain start -> nodes... -> end, where each node is one XML element with an id. */
function chain(prefix: string, nodes: { id: string; xml: string }[], endId: string): string[] {
  const out = [`<startEvent id="${prefix}start" />`];
  let prev = `${prefix}start`;
  nodes.forEach((n, i) => {
    out.push(n.xml, flow(`${prefix}f${i}`, prev, n.id));
    prev = n.id;
  });
  out.push(`<endEvent id="${endId}" />`, flow(`${prefix}f${nodes.length}`, prev, endId));
  return out;
}

function manualTasks(n: number): Shape {
  const id = `manual-${n}`;
  return {
    id,
    label: `sequence of ${n} manual task${n === 1 ? '' : 's'}`,
    userTask: false,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', Array.from({ length: n }, (_, i) => ({ id: `task${i}`, xml: `<manualTask id="task${i}" />` })), 'end')),
  };
}

function exclusiveGateways(n: number): Shape {
  const id = `xor-${n}`;
  return {
    id,
    label: `${n} exclusive gateway${n === 1 ? '' : 's'} in a row`,
    userTask: false,
    variables: { skip: false },
    endId: 'end',
    xml(dialect) {
      const condition = dialect === 'juel' ? '${skip}' : '${environment.variables.skip}';
      const body = ['<startEvent id="start" />', flow('in', 'start', 'gw0')];
      for (let i = 0; i < n; i++) {
        // Each gateway's default flow leads straight to the next gateway (the last one to the end).
        const next = i + 1 < n ? `gw${i + 1}` : 'end';
        body.push(
          `<exclusiveGateway id="gw${i}" default="default${i}" />`,
          flow(`cond${i}`, `gw${i}`, `skipped${i}`, condition),
          `<endEvent id="skipped${i}" />`,
          flow(`default${i}`, `gw${i}`, next),
        );
      }
      body.push('<endEvent id="end" />');
      return definitions(id, body);
    },
  };
}

function nestedSubprocesses(depth: number): Shape {
  const id = `subprocess-${depth}`;
  const level = (d: number): { id: string; xml: string } => {
    const inner = d < depth ? [level(d + 1)] : [];
    const p = `sp${d}_`;
    const lines = chain(p, inner, `${p}end`);
    return { id: `sp${d}`, xml: `<subProcess id="sp${d}">\n${indent(lines, '  ')}\n</subProcess>` };
  };
  return {
    id,
    label: `${depth} nested embedded subprocess${depth === 1 ? '' : 'es'}`,
    userTask: false,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', [level(1)], 'end')),
  };
}

function userTask(): Shape {
  const id = 'user-task';
  return {
    id,
    label: '1 user task (start + complete)',
    userTask: true,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', [{ id: 'task', xml: '<userTask id="task" name="Work" />' }], 'end')),
  };
}

export const SHAPES: readonly Shape[] = [
  manualTasks(1),
  manualTasks(5),
  manualTasks(15),
  exclusiveGateways(1),
  exclusiveGateways(2),
  exclusiveGateways(5),
  nestedSubprocesses(1),
  nestedSubprocesses(2),
  nestedSubprocesses(3),
  userTask(),
];

export function shapeById(id: string): Shape {
  const s = SHAPES.find((x) => x.id === id);
  if (!s) throw new Error(`Unknown shape '${id}'; known: ${SHAPES.map((x) => x.id).join(', ')}`);
  return s;
}
