/**
 * Message correlation and signal broadcast with Camunda 7's rules: a message
 * goes to executions waiting for it (filtered by business key, process
 * instance, correlation keys on process variables and local variables),
 * otherwise to a message start event; one match is required unless `all`.
 * Signals reach every subscription and every signal start event.
 */
import { BadUserInputError, EngineError } from '../errors.js';
import type { EventSubscriptionRow, VariableCondition } from '../persistence/store.js';
import { toTypedValue } from '../variables/convert.js';
import type { TypedValue } from '../variables/typed-value.js';
import type { BufferedMessage } from './buffer.js';

export interface CorrelateMessageInput {
  messageName: string;
  businessKey?: string | null;
  processInstanceId?: string | null;
  /** Process variables that must equal these values. */
  correlationKeys?: Record<string, unknown>;
  /** Local variables of the waiting execution that must equal these values. */
  localCorrelationKeys?: Record<string, unknown>;
  tenantId?: string | null;
  withoutTenantId?: boolean;
  /** Only executions and start events of these tenants (the caller's tenants); null or absent: any. */
  tenantIdIn?: readonly string[] | null;
  /** Variables set on the process instance (through the waiting execution) before it continues. */
  processVariables?: Record<string, unknown>;
  /** Variables set locally on the waiting execution. */
  processVariablesLocal?: Record<string, unknown>;
  /** Correlate to every match instead of requiring exactly one. */
  all?: boolean;
  /** Only start new instances. */
  startMessagesOnly?: boolean;
  userId?: string | null;
  /** Return the variables of each reached instance. */
  variablesInResultEnabled?: boolean;
  /**
   * Message buffering only (`EngineOptions.messageBuffering`): how long the
   * message waits when it matches nothing — an ISO-8601 duration (`PT10M`) or
   * milliseconds; 0 fails at once, as Camunda does. Default: the engine's `defaultTtl`.
   */
  timeToLive?: string | number | null;
}

export interface CorrelationResult {
  resultType: 'Execution' | 'ProcessDefinition';
  processInstanceId: string;
  executionId: string | null;
  definitionId: string;
  businessKey: string | null;
  ended: boolean;
  variables?: Record<string, TypedValue>;
}

/** What a published message did: reached instances, or waits in the buffer (message buffering). */
export interface MessagePublication {
  results: CorrelationResult[];
  /** The buffered message when nothing matched and buffering kept it; null otherwise. */
  buffered: BufferedMessage | null;
}

export interface BroadcastSignalInput {
  signalName: string;
  variables?: Record<string, unknown>;
  /** Only this execution's subscription. */
  executionId?: string | null;
  tenantId?: string | null;
  withoutTenantId?: boolean;
  /** Only subscriptions and start events of these tenants (the caller's tenants); null or absent: any. */
  tenantIdIn?: readonly string[] | null;
  userId?: string | null;
}

export function mismatch(message: string): EngineError {
  return new EngineError('BAD_USER_INPUT', message, { camundaType: 'MismatchingMessageCorrelationException' });
}

/** Equality conditions on variables, in the store's filter form. */
export function equalityConditions(keys: Record<string, unknown> | undefined): VariableCondition[] {
  const out: VariableCondition[] = [];
  for (const [name, raw] of Object.entries(keys ?? {})) {
    const tv = toTypedValue(raw);
    const v = tv.value;
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new BadUserInputError(`Correlation key '${name}' must be a string, number, boolean or null`, `correlationKeys.${name}`);
    }
    out.push({ name, operator: 'eq', value: v as string | number | boolean | null });
  }
  return out;
}

export function tenantMatches(row: { tenantId: string | null }, input: { tenantId?: string | null; withoutTenantId?: boolean; tenantIdIn?: readonly string[] | null }): boolean {
  if (input.tenantIdIn != null && (row.tenantId === null || !input.tenantIdIn.includes(row.tenantId))) return false;
  if (input.withoutTenantId) return row.tenantId === null;
  if (input.tenantId !== undefined && input.tenantId !== null) return row.tenantId === input.tenantId;
  return true;
}

export type StartSubscription = EventSubscriptionRow & { definitionId: string };
