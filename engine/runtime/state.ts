/**
 * The serialized runtime state of one process instance (the aggregate). It is
 * the source of truth; task, variable and execution rows are projections of it.
 */
import type { StoredValue } from '../variables/convert.js';

export interface StoredVariable {
  id: string;
  name: string;
  value: StoredValue;
  /** Revision of this variable (0 on create), for history details. */
  rev: number;
  createTime: string;
}

export interface ExecutionDoc {
  id: string;
  parentId: string | null;
  /** Scope executions own variables and represent a scope instance (process, subprocess, scoped activity). */
  scope: boolean;
  concurrent: boolean;
  active: boolean;
  /** Current activity; for an execution waiting for a child scope, the scope activity. */
  activityId: string | null;
  activityInstanceId: string | null;
  /** Parent activity instance of `activityInstanceId`. */
  parentActivityInstanceId: string | null;
  /** Waiting in a parallel/inclusive join (not shown as an activity instance). */
  joined?: boolean;
  /** For scope executions: the activity instance id of the scope they represent. */
  scopeAi: string | null;
  /** For scope executions: the scope's activity id (null for the process instance). */
  scopeActivityId: string | null;
  vars: StoredVariable[];
  /** Call activity: the sub process instance this execution waits for. */
  calledInstanceId?: string;
  /** The scope execution of a multi-instance body (its inner instances are its children). */
  miBody?: boolean;
  /** Activity instance start time (epoch ms), for history durations. */
  aiStart?: number;
  /**
   * Camunda's event scope execution: a completed subprocess (or multi-instance
   * body) kept for compensation, holding a snapshot of its local variables and
   * the compensation subscriptions of what completed inside it. `true` while
   * it waits (it is no token: `children()` leaves it out), `false` while it is
   * being compensated. Its activity instance id is `scopeAi`.
   */
  eventScope?: boolean;
  /**
   * Compensating executions run below the throwing event, away from the scope
   * of the activity they compensate: the activity instance their handler
   * belongs to (the compensated activity's scope instance).
   */
  flowScopeAi?: string;
}

export interface TaskDoc {
  id: string;
  executionId: string;
  activityInstanceId: string;
  taskDefinitionKey: string;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  createTime: string;
  candidateUsers: string[];
  candidateGroups: string[];
  vars: StoredVariable[];
}

/** A job of this instance; retries, locks and failures live only in its row. */
export interface JobDoc {
  id: string;
  /** Persisted handler type name (see engine/jobs/handlers). */
  type: string;
  executionId: string;
  activityId: string;
  /** Epoch ms, or null for "at once". */
  dueDate: number | null;
  priority: number;
  exclusive: boolean;
  retries: number;
  /** Handler configuration, JSON-compatible. */
  config: Record<string, unknown>;
  repeat: string | null;
  createTime: number;
}

/**
 * An external task of this instance (`camunda:type="external"`); its lock,
 * retries and failure live only in its row (see ExternalTaskRow).
 */
export interface ExternalTaskDoc {
  id: string;
  executionId: string;
  activityId: string;
  activityInstanceId: string;
  /** The topic, its expression evaluated when the task was created. */
  topicName: string;
  priority: number;
  createTime: number;
}

/**
 * A connector call that answered `pending`: the activity waits until the
 * call's correlation token (`<instanceId>.<nonce>`) completes it.
 */
export interface PendingCallDoc {
  /** The secret half of the correlation token; single use. */
  nonce: string;
  connectorId: string;
  executionId: string;
  activityId: string;
  activityInstanceId: string;
  idempotencyKey: string;
  /** The job that turns a missing answer into a BPMN error or an incident. */
  deadlineJobId: string | null;
  createTime: number;
}

/**
 * A message, signal, conditional or compensation subscription of an execution.
 * Compensation subscriptions sit on the scope execution the compensable
 * activity completed in; `activityId` is the handler to run, and their order
 * in the document is the order the activities completed in.
 */
export interface SubscriptionDoc {
  id: string;
  type: 'message' | 'signal' | 'conditional' | 'compensate';
  /** Compensation of a completed scope: the event scope execution that holds it. */
  configuration?: string;
  eventName: string | null;
  executionId: string;
  activityId: string;
  createTime: number;
}

export interface IncidentDoc {
  id: string;
  type: string;
  executionId: string;
  activityId: string;
  configuration: string | null;
  message: string | null;
  annotation: string | null;
  createTime: number;
}

export interface InstanceDoc {
  v: 1;
  /** Next history sequence counter. */
  seq: number;
  executions: ExecutionDoc[];
  tasks: TaskDoc[];
  jobs?: JobDoc[];
  subscriptions?: SubscriptionDoc[];
  incidents?: IncidentDoc[];
  externalTasks?: ExternalTaskDoc[];
  pendingCalls?: PendingCallDoc[];
  /** Connector invocations so far: makes idempotency keys unique per visit, yet equal across retries (a rollback restores it). */
  connectorCalls?: number;
}
