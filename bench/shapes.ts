/**
 * The process shapes of Camunda 7's engine performance suite, generated as
 * BPMN XML: sequences of manual tasks, exclusive gateways in a row, nested
 * embedded subprocesses and one user task; then, for the second table, its
 * asynchronous sequences (service tasks with asyncBefore, run by the job
 * executor) and timer boundary events on user tasks that complete before the
 * timer fires. Beyond Camunda's suite: a message intermediate catch event
 * (start + correlate) and an external task worked off by 10 in-process workers.
 *
 * Both engines run the same XML except for the condition syntax: JUEL
 * `${skip}` for CadenzaFlow, and `${environment.variables.skip}` for
 * bpmn-engine, whose expressions resolve property paths from its environment.
 * Either way the gateway looks a process variable up and compares nothing else.
 */

/** How a conditional sequence flow reads the variable `skip`. */
export type ConditionDialect = 'juel' | 'bpmn-engine';

/**
 * `instances`: clients start instances (and complete their user tasks), in
 * process instances per second. `jobs`: the job executor works off a backlog
 * of asynchronous continuations, in jobs per second. `external-tasks`: workers
 * fetch, lock and complete a backlog of external tasks, in tasks per second.
 */
export type ShapeKind = 'instances' | 'jobs' | 'external-tasks';

export interface Shape {
  /** Stable id used by BENCH_SHAPES and as the process definition key. */
  readonly id: string;
  /** Row label in the results table. */
  readonly label: string;
  readonly kind: ShapeKind;
  /** 'main' for Camunda's classic shapes, 'jobs-and-timers' for the second table. */
  readonly table: 'main' | 'jobs-and-timers';
  /** User tasks every instance waits in at once, completed by further commands after the start. */
  readonly userTasks: readonly string[];
  /** Jobs every instance runs (kind 'jobs'). */
  readonly jobsPerInstance: number;
  /** A message intermediate catch event every instance waits in after its start, reached by correlating its message. */
  readonly messageCatch?: { readonly id: string; readonly messageId: string; readonly messageName: string };
  /** Workers of an 'external-tasks' shape: how many fetch concurrently, and from which topic. */
  readonly externalWorkers?: { readonly workers: number; readonly topic: string };
  /** Whether the in-memory peer runs it: it has no job executor, so the 'jobs' shapes are CadenzaFlow only. */
  readonly peer: boolean;
  /** Start variables; `skip` is false so every gateway evaluates its condition and takes the default flow. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Id of the end event every instance must reach. */
  readonly endId: string;
  xml(dialect: ConditionDialect): string;
}

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="bench" targetNamespace="http://cadenzaflow.org/bench">\n';

/** `roots`: root elements next to the process (messages). */
function definitions(key: string, body: string[], roots: string[] = []): string {
  const before = roots.map((r) => `  ${r}\n`).join('');
  return `${HEADER}${before}  <process id="${key}" isExecutable="true">\n${indent(body, '    ')}\n  </process>\n</definitions>\n`;
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

const INSTANCE_SHAPE = { kind: 'instances', table: 'main', userTasks: [], jobsPerInstance: 0, peer: true } as const;

function manualTasks(n: number): Shape {
  const id = `manual-${n}`;
  return {
    id,
    label: `sequence of ${n} manual task${n === 1 ? '' : 's'}`,
    ...INSTANCE_SHAPE,
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
    ...INSTANCE_SHAPE,
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
    ...INSTANCE_SHAPE,
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
    ...INSTANCE_SHAPE,
    userTasks: ['task'],
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', [{ id: 'task', xml: '<userTask id="task" name="Work" />' }], 'end')),
  };
}

/** Start, wait in a message intermediate catch event, end: the second command is the correlation. */
function messageCatch(): Shape {
  const id = 'message-catch';
  const wait = { id: 'wait', messageId: 'goMessage', messageName: 'go' } as const;
  return {
    id,
    label: 'message intermediate catch (start + correlate)',
    ...INSTANCE_SHAPE,
    messageCatch: wait,
    variables: {},
    endId: 'end',
    xml: () =>
      definitions(
        id,
        chain('', [{ id: wait.id, xml: `<intermediateCatchEvent id="${wait.id}"><messageEventDefinition messageRef="${wait.messageId}" /></intermediateCatchEvent>` }], 'end'),
        [`<message id="${wait.messageId}" name="${wait.messageName}" />`],
      ),
  };
}

/** One external task per instance, worked off by in-process workers (fetchAndLock + complete); CadenzaFlow only. */
function externalTask(workers: number): Shape {
  const id = `external-${workers}`;
  const topic = 'bench';
  return {
    id,
    label: `external task, ${workers} workers (fetchAndLock + complete)`,
    kind: 'external-tasks',
    table: 'jobs-and-timers',
    userTasks: [],
    jobsPerInstance: 1,
    externalWorkers: { workers, topic },
    peer: false,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', [{ id: 'task', xml: `<serviceTask id="task" camunda:type="external" camunda:topic="${topic}" />` }], 'end')),
  };
}

/** Camunda's async sequence: service tasks with asyncBefore that do nothing, each one job. */
function asyncServiceTasks(n: number): Shape {
  const id = `async-${n}`;
  const task = (i: number) => ({ id: `task${i}`, xml: `<serviceTask id="task${i}" camunda:asyncBefore="true" camunda:expression="\${true}" />` });
  return {
    id,
    label: `sequence of ${n} async service task${n === 1 ? '' : 's'}`,
    kind: 'jobs',
    table: 'jobs-and-timers',
    userTasks: [],
    jobsPerInstance: n,
    peer: false,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, chain('', Array.from({ length: n }, (_, i) => task(i)), 'end')),
  };
}

/** A user task with a timer boundary event (one hour: it never fires while the task is completed at once). */
function timedTask(taskId: string, interrupting: boolean): string[] {
  const cancel = interrupting ? '' : ' cancelActivity="false"';
  return [
    `<userTask id="${taskId}" name="Work" />`,
    `<boundaryEvent id="${taskId}Timer" attachedToRef="${taskId}"${cancel}><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>`,
    flow(`${taskId}Late`, `${taskId}Timer`, `${taskId}Escalated`),
    `<endEvent id="${taskId}Escalated" />`,
  ];
}

function timerBoundary(interrupting: boolean, tasks: 1 | 2): Shape {
  const kind = interrupting ? 'interrupting' : 'non-interrupting';
  const id = `timer-${kind}-${tasks}`;
  const ids = tasks === 1 ? ['task'] : ['taskA', 'taskB'];
  const body =
    tasks === 1
      ? ['<startEvent id="start" />', flow('f0', 'start', 'task'), ...timedTask('task', interrupting), flow('f1', 'task', 'end'), '<endEvent id="end" />']
      : [
          '<startEvent id="start" />',
          flow('f0', 'start', 'fork'),
          '<parallelGateway id="fork" />',
          ...ids.flatMap((t) => [flow(`in${t}`, 'fork', t), ...timedTask(t, interrupting), flow(`out${t}`, t, 'join')]),
          '<parallelGateway id="join" />',
          flow('f1', 'join', 'end'),
          '<endEvent id="end" />',
        ];
  return {
    id,
    label: tasks === 1 ? `user task with ${kind} timer boundary event (start + complete)` : `2 concurrent user tasks with ${kind} timer boundary events (start + 2 completes)`,
    kind: 'instances',
    table: 'jobs-and-timers',
    userTasks: ids,
    jobsPerInstance: 0,
    peer: true,
    variables: {},
    endId: 'end',
    xml: () => definitions(id, body),
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
  messageCatch(),
  asyncServiceTasks(1),
  asyncServiceTasks(5),
  asyncServiceTasks(15),
  timerBoundary(true, 1),
  timerBoundary(false, 1),
  timerBoundary(true, 2),
  timerBoundary(false, 2),
  externalTask(10),
];

export function shapeById(id: string): Shape {
  const s = SHAPES.find((x) => x.id === id);
  if (!s) throw new Error(`Unknown shape '${id}'; known: ${SHAPES.map((x) => x.id).join(', ')}`);
  return s;
}
