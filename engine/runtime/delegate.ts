/**
 * What handlers, listeners, expressions and scripts see of an execution or a
 * task: Camunda's DelegateExecution / DelegateTask method names, so existing
 * expressions like `${execution.getVariable('x')}` keep working.
 */
import type { CommandContext } from './command-context.js';
import type { ProcessInstance } from './process-instance.js';
import type { ExecutionDoc, TaskDoc } from './state.js';
import { loadValue, plainValue } from '../variables/convert.js';

export class DelegateExecution {
  constructor(
    private readonly ctx: CommandContext,
    private readonly inst: ProcessInstance,
    private readonly exec: ExecutionDoc,
    private readonly eventName: string | null = null,
    private readonly transitionId: string | null = null,
    private readonly canceled: boolean = false,
  ) {}

  getId(): string {
    return this.exec.id;
  }
  getProcessInstanceId(): string {
    return this.inst.id;
  }
  getProcessDefinitionId(): string {
    return this.inst.definition.id;
  }
  getProcessBusinessKey(): string | null {
    return this.inst.businessKey;
  }
  getBusinessKey(): string | null {
    return this.inst.businessKey;
  }
  setProcessBusinessKey(key: string | null): void {
    this.inst.businessKey = key;
  }
  getTenantId(): string | null {
    return this.inst.tenantId;
  }
  getParentId(): string | null {
    return this.exec.parentId;
  }
  getActivityId(): string | null {
    return this.exec.activityId;
  }
  getCurrentActivityId(): string | null {
    return this.exec.activityId;
  }
  getCurrentActivityName(): string | null {
    const id = this.exec.activityId;
    return id ? (this.inst.graph.nodes.get(id)?.name ?? null) : null;
  }
  getActivityInstanceId(): string | null {
    return this.exec.activityInstanceId;
  }
  getParentActivityInstanceId(): string | null {
    return this.exec.parentActivityInstanceId;
  }
  getCurrentTransitionId(): string | null {
    return this.transitionId;
  }
  getEventName(): string | null {
    return this.eventName;
  }
  getSuperExecutionId(): string | null {
    return this.inst.superExecutionId;
  }
  isCanceled(): boolean {
    return this.canceled;
  }
  getVariable(name: string): unknown {
    return this.ctx.getVariable(this.inst, this.exec, String(name));
  }
  getVariableTyped(name: string): unknown {
    return this.ctx.getTypedVariable(this.inst, this.exec, String(name));
  }
  getVariableLocal(name: string): unknown {
    const v = this.exec.vars.find((x) => x.name === name);
    return v ? plainValue(loadValue(v.value)) : null;
  }
  hasVariable(name: string): boolean {
    return this.ctx.findVariable(this.inst, this.exec, String(name)) !== null;
  }
  hasVariableLocal(name: string): boolean {
    return this.exec.vars.some((x) => x.name === name);
  }
  hasVariables(): boolean {
    return this.ctx.getVariables(this.inst, this.exec).size > 0;
  }
  getVariables(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.ctx.getVariables(this.inst, this.exec)) out[k] = plainValue(v);
    return out;
  }
  getVariablesLocal(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const v of this.exec.vars) out[v.name] = plainValue(loadValue(v.value));
    return out;
  }
  getVariableNames(): string[] {
    return [...this.ctx.getVariables(this.inst, this.exec).keys()];
  }
  getVariableNamesLocal(): string[] {
    return this.exec.vars.map((v) => v.name);
  }
  setVariable(name: string, value: unknown): void {
    this.ctx.setVariable(this.inst, this.exec, String(name), value);
  }
  setVariableLocal(name: string, value: unknown): void {
    this.ctx.setVariableLocal(this.inst, this.exec, String(name), value);
  }
  setVariables(vars: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(vars ?? {})) this.setVariable(k, v);
  }
  setVariablesLocal(vars: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(vars ?? {})) this.setVariableLocal(k, v);
  }
  removeVariable(name: string): void {
    this.ctx.removeVariable(this.inst, this.exec, String(name));
  }
  removeVariableLocal(name: string): void {
    this.ctx.removeVariableLocal(this.inst, this.exec, String(name));
  }
  toString(): string {
    return `Execution[${this.exec.id}]`;
  }
}

export class DelegateTask {
  constructor(
    private readonly ctx: CommandContext,
    private readonly inst: ProcessInstance,
    private readonly task: TaskDoc,
    private readonly eventName: string | null = null,
  ) {}

  getId(): string {
    return this.task.id;
  }
  getName(): string | null {
    return this.task.name;
  }
  setName(name: string | null): void {
    this.task.name = name;
  }
  getDescription(): string | null {
    return this.task.description;
  }
  setDescription(d: string | null): void {
    this.task.description = d;
  }
  getTaskDefinitionKey(): string {
    return this.task.taskDefinitionKey;
  }
  getAssignee(): string | null {
    return this.task.assignee;
  }
  setAssignee(a: string | null): void {
    this.task.assignee = a;
  }
  getOwner(): string | null {
    return this.task.owner;
  }
  setOwner(o: string | null): void {
    this.task.owner = o;
  }
  getPriority(): number {
    return this.task.priority;
  }
  setPriority(p: number): void {
    this.task.priority = Number(p);
  }
  getDueDate(): Date | null {
    return this.task.dueDate ? new Date(this.task.dueDate) : null;
  }
  setDueDate(d: Date | string | null): void {
    this.task.dueDate = d === null ? null : new Date(d).toISOString();
  }
  getFollowUpDate(): Date | null {
    return this.task.followUpDate ? new Date(this.task.followUpDate) : null;
  }
  getFormKey(): string | null {
    return this.task.formKey;
  }
  getCreateTime(): Date {
    return new Date(this.task.createTime);
  }
  getEventName(): string | null {
    return this.eventName;
  }
  getExecutionId(): string {
    return this.task.executionId;
  }
  getProcessInstanceId(): string {
    return this.inst.id;
  }
  getProcessDefinitionId(): string {
    return this.inst.definition.id;
  }
  getTenantId(): string | null {
    return this.inst.tenantId;
  }
  getExecution(): DelegateExecution {
    return new DelegateExecution(this.ctx, this.inst, this.inst.execution(this.task.executionId));
  }
  getCandidates(): { userId: string | null; groupId: string | null; type: string }[] {
    return [
      ...this.task.candidateUsers.map((u) => ({ userId: u, groupId: null, type: 'candidate' })),
      ...this.task.candidateGroups.map((g) => ({ userId: null, groupId: g, type: 'candidate' })),
    ];
  }
  addCandidateUser(u: string): void {
    if (!this.task.candidateUsers.includes(u)) this.task.candidateUsers.push(u);
  }
  addCandidateGroup(g: string): void {
    if (!this.task.candidateGroups.includes(g)) this.task.candidateGroups.push(g);
  }
  deleteCandidateUser(u: string): void {
    this.task.candidateUsers = this.task.candidateUsers.filter((x) => x !== u);
  }
  deleteCandidateGroup(g: string): void {
    this.task.candidateGroups = this.task.candidateGroups.filter((x) => x !== g);
  }
  getVariable(name: string): unknown {
    const v = this.task.vars.find((x) => x.name === name);
    if (v) return plainValue(loadValue(v.value));
    return this.ctx.getVariable(this.inst, this.inst.execution(this.task.executionId), String(name));
  }
  getVariableLocal(name: string): unknown {
    const v = this.task.vars.find((x) => x.name === name);
    return v ? plainValue(loadValue(v.value)) : null;
  }
  hasVariable(name: string): boolean {
    return this.task.vars.some((x) => x.name === name) || this.ctx.findVariable(this.inst, this.inst.execution(this.task.executionId), name) !== null;
  }
  getVariables(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.ctx.getVariables(this.inst, this.inst.execution(this.task.executionId))) out[k] = plainValue(v);
    for (const v of this.task.vars) out[v.name] = plainValue(loadValue(v.value));
    return out;
  }
  setVariable(name: string, value: unknown): void {
    this.ctx.setTaskVariable(this.inst, this.task, String(name), value);
  }
  setVariableLocal(name: string, value: unknown): void {
    this.ctx.setTaskVariableLocal(this.inst, this.task, String(name), value);
  }
  removeVariableLocal(name: string): void {
    this.ctx.removeTaskVariableLocal(this.inst, this.task, String(name));
  }
  toString(): string {
    return `Task[${this.task.id}]`;
  }
}
