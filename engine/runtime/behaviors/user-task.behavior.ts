import type { FlowNode, UserTaskNode } from '../../model/graph.js';
import { BadUserInputError } from '../../errors.js';
import { firstDue } from '../../jobs/timer.js';
import type { CommandContext } from '../command-context.js';
import { evaluate, fireTaskListeners, type Scope } from '../evaluation.js';
import { JOB_TYPES, createJob } from '../jobs.js';
import { describe, leave, type Token } from '../operations.js';
import type { ProcessInstance } from '../process-instance.js';
import type { TaskDoc } from '../state.js';
import type { ActivityBehavior, SignalPayload } from './behavior.js';

const DEFAULT_PRIORITY = 50;

/** Splits `a, ${b}, c` on the commas outside expressions. */
function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if ((ch === '$' || ch === '#') && text[i + 1] === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter((s) => s.length > 0);
}

function evalText(scope: Scope, text: string | undefined): unknown {
  if (text === undefined) return null;
  return evaluate(scope, text);
}

function evalList(scope: Scope, text: string | undefined): string[] {
  if (text === undefined) return [];
  const out: string[] = [];
  for (const part of splitList(text)) {
    const v = evaluate(scope, part);
    if (Array.isArray(v)) out.push(...v.map(String));
    else if (typeof v === 'string') out.push(...v.split(',').map((s) => s.trim()).filter(Boolean));
    else if (v !== null && v !== undefined) out.push(String(v));
  }
  return [...new Set(out)];
}

function toIsoDate(v: unknown, field: string, node: FlowNode): string | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) throw new BadUserInputError(`The ${field} of ${describe(node)} is not a date: '${String(v)}'`, field);
  return d.toISOString();
}

/**
 * User task: creates a task and waits. The task's assignee, candidates, due
 * and follow-up dates, priority and form key may all be expressions.
 */
export class UserTaskBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    const n = node as UserTaskNode;
    const { ctx, inst, exec } = t;
    const scope: Scope = { ctx, inst, exec };
    const assignee = evalText(scope, n.assignee);
    const priorityValue = evalText(scope, n.priority);
    const priority = priorityValue === null ? DEFAULT_PRIORITY : Number(priorityValue);
    if (!Number.isFinite(priority)) throw new BadUserInputError(`The priority of ${describe(node)} is not a number: '${String(priorityValue)}'`, 'priority');
    const formKey = evalText(scope, n.formKey);
    const name = n.name !== undefined ? evalText(scope, n.name) : null;
    const task: TaskDoc = {
      id: ctx.newId(),
      executionId: exec.id,
      activityInstanceId: exec.activityInstanceId!,
      taskDefinitionKey: n.id,
      name: name === null ? null : String(name),
      description: null,
      assignee: assignee === null || assignee === undefined || assignee === '' ? null : String(assignee),
      owner: null,
      priority,
      dueDate: toIsoDate(evalText(scope, n.dueDate), 'dueDate', node),
      followUpDate: toIsoDate(evalText(scope, n.followUpDate), 'followUpDate', node),
      formKey: formKey === null ? null : String(formKey),
      createTime: ctx.time().toISOString(),
      candidateUsers: evalList(scope, n.candidateUsers),
      candidateGroups: evalList(scope, n.candidateGroups),
      vars: [],
    };
    inst.tasks.set(task.id, task);
    const taskScope: Scope = { ctx, inst, exec, task };
    await fireTaskListeners(taskScope, n.taskListeners, 'create', describe(node));
    if (task.assignee !== null) await fireTaskListeners(taskScope, n.taskListeners, 'assignment', describe(node));
    scheduleTimeoutListeners(taskScope, n, task);
    // Listeners may have changed the task, so history and events see its final state.
    ctx.history.taskCreated({
      id: task.id,
      instanceId: inst.id,
      executionId: task.executionId,
      activityInstanceId: task.activityInstanceId,
      definitionId: inst.definition.id,
      definitionKey: inst.definition.key,
      taskDefinitionKey: task.taskDefinitionKey,
      name: task.name,
      description: task.description,
      assignee: task.assignee,
      owner: task.owner,
      priority: task.priority,
      dueDate: task.dueDate ? new Date(task.dueDate) : null,
      followUpDate: task.followUpDate ? new Date(task.followUpDate) : null,
      startTime: ctx.time(),
      endTime: null,
      durationMs: null,
      deleteReason: null,
      tenantId: inst.tenantId,
      removalTime: null,
    });
    ctx.history.activityUpdated(task.activityInstanceId, { taskId: task.id, assignee: task.assignee });
    emitTask(ctx, inst, task, 'task.created');
    if (task.assignee !== null) emitTask(ctx, inst, task, 'task.assigned');
  }

  async signal(t: Token, node: FlowNode, payload: SignalPayload): Promise<void> {
    if (payload.kind !== 'complete') {
      leave(t, node);
      return;
    }
    leave(t, node);
  }
}

export function emitTask(ctx: CommandContext, inst: ProcessInstance, task: TaskDoc, type: 'task.created' | 'task.assigned' | 'task.completed' | 'task.deleted'): void {
  ctx.emit({
    type,
    ...ctx.instanceRef(inst),
    taskId: task.id,
    taskDefinitionKey: task.taskDefinitionKey,
    name: task.name,
    assignee: task.assignee,
    candidateUsers: [...task.candidateUsers],
    candidateGroups: [...task.candidateGroups],
  });
}

/**
 * Timeout task listeners (Camunda 7.12+): one timer job per listener, due
 * from the task's creation; the job fires the listener while the task lives
 * (again and again for a cycle) and goes with the task.
 */
function scheduleTimeoutListeners(scope: Scope, node: UserTaskNode, task: TaskDoc): void {
  for (const listener of node.taskListeners) {
    if (listener.event !== 'timeout' || !listener.timer) continue;
    const value = evaluate(scope, listener.timer.expression);
    let schedule: ReturnType<typeof firstDue>;
    try {
      schedule = firstDue(listener.timer.type, value, scope.ctx.time());
    } catch (e) {
      throw new BadUserInputError(`Timer of timeout task listener '${listener.id ?? ''}' of ${describe(node)}: ${(e as Error).message}`, listener.timer.type);
    }
    const config = { taskId: task.id, listenerId: listener.id ?? null };
    createJob(scope.ctx, scope.inst, scope.exec, node, JOB_TYPES.timerTaskListener, config, schedule.due, schedule.repeat);
  }
}

/** Removes a task from the runtime, ending its history with Camunda's delete reason ('completed' or 'deleted'). */
export function deleteTask(ctx: CommandContext, inst: ProcessInstance, task: TaskDoc, reason: 'completed' | 'deleted'): void {
  inst.tasks.delete(task.id);
  for (const [id, job] of inst.jobs) if (job.type === JOB_TYPES.timerTaskListener && job.config['taskId'] === task.id) inst.jobs.delete(id);
  const now = ctx.time();
  ctx.history.taskUpdated(task.id, { endTime: now, durationMs: now.getTime() - new Date(task.createTime).getTime(), deleteReason: reason });
  emitTask(ctx, inst, task, reason === 'completed' ? 'task.completed' : 'task.deleted');
}
