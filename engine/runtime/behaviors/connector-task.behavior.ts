import { randomBytes } from 'node:crypto';
import { BpmnError, ConnectorError, EngineError } from '../../errors.js';
import type { ConnectorCall, ConnectorResult, EngineConnector, PendingOutcome, PendingTimeout } from '../../connectors/contract.js';
import { backoff, isRetryable, policyFor } from '../../connectors/resilience.js';
import { resolveSecrets, scrub, scrubText } from '../../connectors/secrets.js';
import type { FlowNode, IoMapping } from '../../model/graph.js';
import { serviceBodyOf } from '../../model/service-body.js';
import type { CommandContext } from '../command-context.js';
import { propagateBpmnError } from '../error-propagation.js';
import { evaluateIoValue, type Scope } from '../evaluation.js';
import { createJob, JOB_TYPES } from '../jobs.js';
import { describe, leave, type Token } from '../operations.js';
import type { ProcessInstance } from '../process-instance.js';
import type { ExecutionDoc, PendingCallDoc } from '../state.js';
import type { ActivityBehavior, SignalPayload } from './behavior.js';
import { behaviorFor } from './index.js';

type ConnectorImplementation = { readonly kind: 'connector'; readonly connectorId: string; readonly ioMapping?: IoMapping };

/** The connector of a service, send or business rule task, or of a message throw or end event's definition. */
function connectorOf(node: FlowNode): ConnectorImplementation {
  const impl = serviceBodyOf(node)?.implementation;
  if (!impl || impl.kind !== 'connector') throw new EngineError('INTERNAL', `${describe(node)} has no camunda:connector`);
  return impl;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * `camunda:connector`: the connector's input parameters are evaluated, the
 * connector named by `camunda:connectorId` is called (with the activity's
 * resilience policy), and its output parameters are evaluated against the
 * result before the activity leaves. A connector that answers *pending* makes
 * the activity a wait state until its correlation token completes it.
 */
export class ConnectorTaskBehavior implements ActivityBehavior {
  async execute(t: Token, node: FlowNode): Promise<void> {
    await invokeConnector(t, node, null);
  }

  /** The pending call's result arrived (output parameters already applied). */
  signal(t: Token, node: FlowNode, _payload: SignalPayload): void {
    leave(t, node);
  }
}

/** Calls the connector of the activity; `idempotencyKey` is reused when a failed pending call is made again. */
export async function invokeConnector(t: Token, node: FlowNode, idempotencyKey: string | null): Promise<void> {
  const impl = connectorOf(node);
  const { ctx, inst, exec } = t;
  const services = ctx.services.connectors;
  const where = describe(node);
  const connector = services.get(impl.connectorId);
  if (!connector) throw new EngineError('BAD_USER_INPUT', `No connector '${impl.connectorId}' is registered (used by ${where})`, { camundaType: 'ConnectorException' });
  const scope: Scope = { ctx, inst, exec };
  const raw: Record<string, unknown> = {};
  for (const p of impl.ioMapping?.inputs ?? []) raw[p.name] = await evaluateIoValue(scope, p.value, `connector input parameter '${p.name}' of ${where}`);
  const secrets = new Set<string>();
  const input = resolveSecrets(raw, services.secrets, where, secrets) as Record<string, unknown>;
  const key = idempotencyKey ?? `${inst.id}:${exec.id}:${node.id}:${++inst.connectorCalls}`;
  const nonce = randomBytes(16).toString('base64url');
  let result: ConnectorResult;
  try {
    result = await callWithResilience(ctx, inst, exec, node, connector, input, key, `${inst.id}.${nonce}`, secrets);
  } catch (e) {
    if (e instanceof BpmnError) {
      await propagateBpmnError(t, node, e);
      return;
    }
    throw scrubError(e, impl.connectorId, secrets);
  }
  if (result.kind === 'pending') {
    const pending: PendingCallDoc = {
      nonce,
      connectorId: impl.connectorId,
      executionId: exec.id,
      activityId: node.id,
      activityInstanceId: exec.activityInstanceId ?? '',
      idempotencyKey: key,
      deadlineJobId: null,
      createTime: ctx.time().getTime(),
    };
    if (result.timeoutMs !== undefined) {
      const onTimeout: PendingTimeout = result.onTimeout ?? { kind: 'incident' };
      const job = createJob(ctx, inst, exec, node, JOB_TYPES.connectorDeadline, { nonce, onTimeout }, new Date(ctx.time().getTime() + result.timeoutMs));
      pending.deadlineJobId = job.id;
    }
    inst.pendingCalls.set(nonce, pending);
    return;
  }
  await applyOutputs(t, node, scrub(result.output, secrets) as Record<string, unknown>, raw);
  leave(t, node);
}

async function callWithResilience(
  ctx: CommandContext,
  inst: ProcessInstance,
  exec: ExecutionDoc,
  node: FlowNode,
  connector: EngineConnector,
  input: Record<string, unknown>,
  idempotencyKey: string,
  correlationToken: string,
  secrets: Set<string>,
): Promise<ConnectorResult> {
  const services = ctx.services.connectors;
  const policy = policyFor(node.properties, services.policy, describe(node));
  const target = connector.target?.(input) ?? connector.id;
  for (let attempt = 1; ; attempt++) {
    services.breakers.enter(connector.id, target, policy, Date.now());
    const controller = new AbortController();
    const onShutdown = () => controller.abort(services.shutdown.reason);
    services.shutdown.addEventListener('abort', onShutdown, { once: true });
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      if (timer) clearTimeout(timer);
      if (policy.timeoutMs > 0) {
        timer = setTimeout(
          () => controller.abort(new ConnectorError(connector.id, `Connector '${connector.id}' of ${describe(node)} timed out after ${policy.timeoutMs} ms`)),
          policy.timeoutMs,
        );
      }
    };
    arm();
    const call: ConnectorCall = {
      connectorId: connector.id,
      input,
      idempotencyKey,
      attempt,
      signal: controller.signal,
      correlationToken,
      heartbeat: arm,
      secret: (name) => {
        const v = services.secrets(name);
        if (v) secrets.add(v);
        return v;
      },
      logger: services.logger,
      properties: node.properties,
      processInstanceId: inst.id,
      processDefinitionId: inst.definition.id,
      processDefinitionKey: inst.definition.key,
      businessKey: inst.businessKey,
      tenantId: inst.tenantId,
      activityId: node.id,
      activityInstanceId: exec.activityInstanceId ?? '',
    };
    try {
      const aborted = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      aborted.catch(() => {});
      // A connector that ignores its AbortSignal must not hold the activity past its timeout.
      const result = await Promise.race([connector.invoke(call), aborted]);
      services.breakers.success(target);
      return result;
    } catch (e) {
      if (e instanceof BpmnError) {
        services.breakers.success(target);
        throw e;
      }
      const retryable = isRetryable(e);
      // A permanent failure (a 404, invalid input) says nothing about the target being down.
      if (retryable) services.breakers.failure(target, policy, Date.now());
      if (!retryable || services.shutdown.aborted || attempt > policy.retries) throw e;
      const hinted = e instanceof ConnectorError ? e.nextRetryDelayMs : undefined;
      // A target that asks for a long pause (Retry-After: 3600) gets it from the job's due date, not a blocked command.
      if (hinted !== undefined && hinted > policy.maxBackoffMs) throw e;
      services.logger.warn('connector attempt failed, retrying', {
        connectorId: connector.id,
        activityId: node.id,
        processInstanceId: inst.id,
        attempt,
        error: (e as Error).message,
      });
      await sleep(hinted ?? backoff(policy, attempt), services.shutdown);
    } finally {
      if (timer) clearTimeout(timer);
      services.shutdown.removeEventListener('abort', onShutdown);
    }
  }
}

/** A failure as the command reports it: a ConnectorError naming the connector, secrets scrubbed. */
function scrubError(e: unknown, connectorId: string, secrets: ReadonlySet<string>): unknown {
  if (e instanceof EngineError && !(e instanceof ConnectorError)) return e;
  const message = scrubText(e instanceof Error ? e.message : String(e), secrets);
  if (e instanceof ConnectorError) {
    if (secrets.size === 0) return e;
    return new ConnectorError(connectorId, message, { retryable: e.retryable, ...(e.nextRetryDelayMs !== undefined ? { nextRetryDelayMs: e.nextRetryDelayMs } : {}) });
  }
  return new ConnectorError(connectorId, `Connector '${connectorId}' failed: ${message}`);
}

/**
 * Camunda's connector output parameters: evaluated in the connector's
 * variable scope — its result fields, then its input parameters (as written,
 * before secrets were resolved), then the execution's variables — with
 * `connector.getVariable(name)` for scripts; set on the execution.
 */
async function applyOutputs(t: Token, node: FlowNode, output: Record<string, unknown>, input: Record<string, unknown> = {}): Promise<void> {
  const impl = connectorOf(node);
  const vars: Record<string, unknown> = { ...input, ...output };
  const connector = {
    getVariable: (name: string) => (name in vars ? vars[name] : null),
    hasVariable: (name: string) => name in vars,
    getVariableNames: () => Object.keys(vars),
  };
  const scope: Scope = { ctx: t.ctx, inst: t.inst, exec: t.exec, extra: { connector, ...vars } };
  for (const p of impl.ioMapping?.outputs ?? []) {
    const v = await evaluateIoValue(scope, p.value, `connector output parameter '${p.name}' of ${describe(node)}`);
    t.ctx.setVariable(t.inst, t.exec, p.name, v);
  }
}

/** The answer to a pending call, delivered by `engine.completeConnectorCall`. */
export async function completePendingCall(ctx: CommandContext, inst: ProcessInstance, pending: PendingCallDoc, outcome: PendingOutcome): Promise<void> {
  const exec = inst.execution(pending.executionId);
  const node = inst.graph.nodes.get(pending.activityId)!;
  inst.pendingCalls.delete(pending.nonce);
  if (pending.deadlineJobId) inst.jobs.delete(pending.deadlineJobId);
  // A late answer settles an incident its deadline raised.
  for (const [id, x] of inst.incidents) if (x.type === 'connectorTimeout' && x.configuration === pending.nonce) inst.incidents.delete(id);
  const t: Token = { ctx, inst, exec };
  switch (outcome.kind) {
    case 'result':
      await applyOutputs(t, node, { ...outcome.output });
      await behaviorFor(node).signal!(t, node, { kind: 'complete' });
      return;
    case 'bpmnError':
      for (const [k, v] of Object.entries(outcome.variables ?? {})) ctx.setVariable(inst, exec, k, v);
      await propagateBpmnError(t, node, new BpmnError(outcome.errorCode, outcome.errorMessage));
      return;
    case 'failure': {
      const job = createJob(ctx, inst, exec, node, JOB_TYPES.connectorRetry, { idempotencyKey: pending.idempotencyKey, message: outcome.message }, outcome.retryDelayMs ? new Date(ctx.time().getTime() + outcome.retryDelayMs) : null);
      if (outcome.retries !== undefined) job.retries = outcome.retries;
      return;
    }
  }
}

/** The deadline of a pending call passed: a BPMN error from the activity, or an incident while it keeps waiting. */
export async function pendingDeadline(t: Token, node: FlowNode, nonce: string, onTimeout: PendingTimeout): Promise<void> {
  const { ctx, inst } = t;
  const pending = inst.pendingCalls.get(nonce);
  if (!pending) return;
  pending.deadlineJobId = null;
  if (onTimeout.kind === 'bpmnError') {
    inst.pendingCalls.delete(nonce);
    await propagateBpmnError(t, node, new BpmnError(onTimeout.errorCode, onTimeout.errorMessage));
    return;
  }
  const id = ctx.newId();
  inst.incidents.set(id, {
    id,
    type: 'connectorTimeout',
    executionId: t.exec.id,
    activityId: node.id,
    configuration: nonce,
    message: onTimeout.message ?? `Connector '${pending.connectorId}' of ${describe(node)} got no answer in time`,
    annotation: null,
    createTime: ctx.time().getTime(),
  });
}
