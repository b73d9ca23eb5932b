/**
 * Opt-in message buffering — Zeebe's behaviour, which Camunda 7 does not have
 * (there, a message nobody waits for fails with "No process definition or
 * execution matches the parameters"). Switched on per engine
 * (`EngineOptions.messageBuffering`); the choices, after Zeebe's documentation:
 *
 * - A message is buffered only when its correlation matched nothing, for its
 *   time to live (the call's `timeToLive`, else the engine's `defaultTtl`).
 *   It keeps what the correlation asked for: name, business key, process
 *   instance, correlation keys, local correlation keys, tenant, and the
 *   variables to hand over.
 * - A message subscription an instance opens — intermediate catch event,
 *   receive task, boundary event, event after an event-based gateway, message
 *   start event of an event subprocess — takes the oldest live buffered
 *   message that matches it, at the end of the command that opened it. The
 *   message goes to that subscription only: it is deleted in the same
 *   transaction, at its revision, so two commands racing for it cannot both
 *   have it (the loser conflicts and is retried).
 * - Message start events of process definitions do not take buffered
 *   messages: as in Zeebe, a message published before a process was deployed
 *   does not start it.
 * - Expired messages are never delivered; they are deleted when met and when
 *   a new message is buffered.
 */
import { BadUserInputError } from '../errors.js';
import { addDuration, parseDuration } from '../jobs/timer.js';
import type { BufferedMessageRow } from '../persistence/store.js';
import type { CommandContext } from '../runtime/command-context.js';
import { reconcileExecutionRefs } from '../runtime/jobs.js';
import type { ProcessInstance } from '../runtime/process-instance.js';
import type { ExecutionDoc, SubscriptionDoc } from '../runtime/state.js';
import { deliver } from '../runtime/subscriptions.js';
import { loadValue, normalizeTypedValue, storeValue, toTypedValue, type StoredValue } from '../variables/convert.js';
import type { TypedValue } from '../variables/typed-value.js';
import type { CorrelateMessageInput } from './correlation.js';

/** An ISO-8601 duration (`PT1M`, `P1D`) or a number of milliseconds. */
export type TimeToLive = string | number;

/** What the runtime knows of the engine's buffering settings. */
export interface MessageBuffering {
  /** Applied to every correlation without its own `timeToLive`; null: only those with one are buffered. */
  readonly defaultTtl: TimeToLive | null;
}

/** A buffered message, decoded. */
export interface BufferedMessage {
  id: string;
  messageName: string;
  businessKey: string | null;
  processInstanceId: string | null;
  correlationKeys: Record<string, TypedValue>;
  localCorrelationKeys: Record<string, TypedValue>;
  variables: Record<string, TypedValue>;
  variablesLocal: Record<string, TypedValue>;
  tenantId: string | null;
  withoutTenantId: boolean;
  /** Only instances of these tenants; null: any. */
  tenantIdIn: readonly string[] | null;
  createTime: Date;
  expiresAt: Date;
}

/** Expired messages deleted along with one new buffered message, so the table does not fill up with them. */
export const EXPIRED_PURGE_BATCH = 100;

/** When a message buffered now for `ttl` expires; null for a zero time to live (not buffered). */
export function expiryOf(ttl: TimeToLive, now: Date): Date | null {
  if (typeof ttl === 'number' || /^\d+$/.test(ttl.trim())) {
    const ms = Number(ttl);
    if (!Number.isSafeInteger(ms) || ms < 0) throw new BadUserInputError(`timeToLive must be a non-negative number of milliseconds, got ${String(ttl)}`, 'timeToLive');
    return ms === 0 ? null : new Date(now.getTime() + ms);
  }
  const duration = parseDuration(ttl.trim());
  if (!duration) throw new BadUserInputError(`timeToLive '${ttl}' is neither an ISO-8601 duration such as PT1M nor a number of milliseconds`, 'timeToLive');
  const expires = addDuration(now, duration);
  return expires.getTime() <= now.getTime() ? null : expires;
}

function encode(values: Record<string, unknown> | undefined): string | null {
  const entries = Object.entries(values ?? {});
  if (!entries.length) return null;
  const out: Record<string, StoredValue> = {};
  for (const [name, value] of entries) out[name] = storeValue(toTypedValue(value));
  return JSON.stringify(out);
}

function decode(json: string | null): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  if (json === null) return out;
  // Re-marked as typed values, so setting them keeps their type.
  for (const [name, stored] of Object.entries(JSON.parse(json) as Record<string, StoredValue>)) out[name] = normalizeTypedValue(loadValue(stored), name);
  return out;
}

/** The row that keeps a correlation that matched nothing. */
export function bufferedMessageRow(input: CorrelateMessageInput, id: string, now: Date, expiresAt: Date): BufferedMessageRow {
  return {
    id,
    rev: 0,
    messageName: input.messageName,
    businessKey: input.businessKey ?? null,
    processInstanceId: input.processInstanceId ?? null,
    correlationKeys: encode(input.correlationKeys),
    localCorrelationKeys: encode(input.localCorrelationKeys),
    variables: encode(input.processVariables),
    variablesLocal: encode(input.processVariablesLocal),
    tenantId: input.withoutTenantId ? null : (input.tenantId ?? null),
    withoutTenantId: input.withoutTenantId === true,
    tenantIdIn: input.tenantIdIn == null ? null : JSON.stringify(input.tenantIdIn),
    createTime: now,
    expiresAt,
  };
}

export function decodeBufferedMessage(row: BufferedMessageRow): BufferedMessage {
  return {
    id: row.id,
    messageName: row.messageName,
    businessKey: row.businessKey,
    processInstanceId: row.processInstanceId,
    correlationKeys: decode(row.correlationKeys),
    localCorrelationKeys: decode(row.localCorrelationKeys),
    variables: decode(row.variables),
    variablesLocal: decode(row.variablesLocal),
    tenantId: row.tenantId,
    withoutTenantId: row.withoutTenantId,
    tenantIdIn: row.tenantIdIn === null ? null : (JSON.parse(row.tenantIdIn) as string[]),
    createTime: row.createTime,
    expiresAt: row.expiresAt,
  };
}

/** Values as correlation compares them: a date equals its ISO text (REST sends date keys as text). */
function comparable(tv: TypedValue): unknown {
  return tv.value instanceof Date ? tv.value.toISOString() : tv.value;
}

function sameValue(a: TypedValue, b: TypedValue): boolean {
  return comparable(a) === comparable(b);
}

/** As correlation's process-variable keys: a variable of any scope of the instance (not task-local). */
function instanceHas(inst: ProcessInstance, name: string, expected: TypedValue): boolean {
  for (const exec of inst.executions.values()) {
    for (const v of exec.vars) if (v.name === name && sameValue(loadValue(v.value), expected)) return true;
  }
  return false;
}

function matches(message: BufferedMessage, inst: ProcessInstance, exec: ExecutionDoc): boolean {
  if (message.processInstanceId !== null && message.processInstanceId !== inst.id) return false;
  if (message.businessKey !== null && message.businessKey !== inst.businessKey) return false;
  if (message.withoutTenantId ? inst.tenantId !== null : message.tenantId !== null && message.tenantId !== inst.tenantId) return false;
  if (message.tenantIdIn !== null && (inst.tenantId === null || !message.tenantIdIn.includes(inst.tenantId))) return false;
  for (const [name, expected] of Object.entries(message.correlationKeys)) if (!instanceHas(inst, name, expected)) return false;
  for (const [name, expected] of Object.entries(message.localCorrelationKeys)) {
    const local = exec.vars.find((v) => v.name === name);
    if (!local || !sameValue(loadValue(local.value), expected)) return false;
  }
  return true;
}

/**
 * Hands buffered messages to the message subscriptions the command opened,
 * oldest message first; returns true when one was delivered (the agenda then
 * has work again). Runs when the agenda is empty, so the subscriptions that
 * are still open are the ones the command leaves waiting.
 */
export async function deliverBufferedMessages(ctx: CommandContext): Promise<boolean> {
  const opened: { inst: ProcessInstance; sub: SubscriptionDoc }[] = [];
  for (const { instanceId, subscriptionId } of ctx.openedMessageSubscriptions.splice(0)) {
    const inst = ctx.instances.get(instanceId);
    if (!inst || inst.ended) continue;
    // Subscriptions of executions that concurrency pruning replaced move to their successors first.
    reconcileExecutionRefs(inst);
    const sub = inst.subscriptions.get(subscriptionId);
    if (sub) opened.push({ inst, sub });
  }
  if (!opened.length) return false;
  const names = [...new Set(opened.map((o) => o.sub.eventName!))];
  const now = ctx.time();
  const rows = await ctx.services.store.findBufferedMessages({ messageNameIn: names });
  const live: BufferedMessage[] = [];
  const revs = new Map<string, number>();
  for (const row of rows) {
    if (ctx.consumedBufferedMessages.has(row.id)) continue;
    if (row.expiresAt.getTime() <= now.getTime()) {
      ctx.consumedBufferedMessages.add(row.id);
      ctx.extra.push({ table: 'bufferedMessage', op: 'delete', id: row.id });
      continue;
    }
    live.push(decodeBufferedMessage(row));
    revs.set(row.id, row.rev);
  }
  let delivered = false;
  for (const { inst, sub } of opened) {
    // An earlier delivery of this round may have closed it (an event-based gateway's other events).
    const exec = inst.executions.get(sub.executionId);
    if (!inst.subscriptions.has(sub.id) || !exec || inst.ended) continue;
    const message = live.find((m) => m.messageName === sub.eventName && !ctx.consumedBufferedMessages.has(m.id) && matches(m, inst, exec));
    if (!message) {
      if (ctx.recheckBufferedMessages) ctx.unmatchedMessageSubscriptions.push({ instanceId: inst.id, subscriptionId: sub.id });
      continue;
    }
    ctx.consumedBufferedMessages.add(message.id);
    ctx.extra.push({ table: 'bufferedMessage', op: 'delete', id: message.id, expectedRev: revs.get(message.id)! });
    await deliver(ctx, inst, sub, message.variables, message.variablesLocal);
    delivered = true;
    // A non-interrupting boundary event or event subprocess stays subscribed: the next round looks for more.
    if (inst.subscriptions.has(sub.id)) ctx.openedMessageSubscriptions.push({ instanceId: inst.id, subscriptionId: sub.id });
  }
  return delivered;
}

/**
 * After a command committed: the subscriptions it left waiting for which a
 * matching message has been buffered meanwhile (a correlation that looked for
 * subscriptions before this command committed, and buffered its message after
 * this command looked at the buffer), by instance id. Judged on the
 * command's own view of its instances; the handing over re-checks under lock.
 */
export async function missedBufferedMessages(ctx: CommandContext): Promise<Map<string, string[]>> {
  const missed = new Map<string, string[]>();
  const waiting = ctx.unmatchedMessageSubscriptions.splice(0);
  if (!waiting.length) return missed;
  const subs = waiting.flatMap(({ instanceId, subscriptionId }) => {
    const inst = ctx.instances.get(instanceId);
    const sub = inst?.subscriptions.get(subscriptionId);
    const exec = sub && inst!.executions.get(sub.executionId);
    return inst && sub && exec && !inst.ended ? [{ inst, sub, exec }] : [];
  });
  if (!subs.length) return missed;
  const rows = await ctx.services.store.findBufferedMessages({ messageNameIn: [...new Set(subs.map((s) => s.sub.eventName!))], liveAt: ctx.services.clock.now() });
  if (!rows.length) return missed;
  const messages = rows.filter((r) => !ctx.consumedBufferedMessages.has(r.id)).map(decodeBufferedMessage);
  for (const { inst, sub, exec } of subs) {
    if (!messages.some((m) => m.messageName === sub.eventName && matches(m, inst, exec))) continue;
    missed.set(inst.id, [...(missed.get(inst.id) ?? []), sub.id]);
  }
  return missed;
}
