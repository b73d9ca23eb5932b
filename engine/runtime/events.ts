/**
 * Domain events, published to subscribers only after the command that caused
 * them committed (a rolled-back command publishes nothing).
 */
import type { InstanceState } from '../persistence/store.js';
import type { TypedValue } from '../variables/typed-value.js';

interface InstanceRef {
  instanceId: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  time: Date;
}

/** A job's identity; definition-level jobs (timer start events) have no instance. */
interface JobRef {
  jobId: string;
  /** The persisted handler type, e.g. 'async-continuation', 'timer-transition'. */
  jobType: string;
  activityId: string | null;
  instanceId: string | null;
  definitionId: string | null;
  definitionKey: string | null;
  businessKey: string | null;
  tenantId: string | null;
  time: Date;
}

export type DomainEvent =
  | ({ type: 'instance.started' } & InstanceRef)
  | ({ type: 'instance.ended'; state: InstanceState } & InstanceRef)
  | ({ type: 'instance.suspended' } & InstanceRef)
  | ({ type: 'instance.activated' } & InstanceRef)
  | ({ type: 'activity.started'; activityId: string; activityInstanceId: string; activityType: string; executionId: string } & InstanceRef)
  | ({ type: 'activity.ended'; activityId: string; activityInstanceId: string; activityType: string; executionId: string; canceled: boolean } & InstanceRef)
  | ({
      type: 'task.created' | 'task.assigned' | 'task.completed' | 'task.deleted';
      taskId: string;
      taskDefinitionKey: string;
      name: string | null;
      assignee: string | null;
      candidateUsers: readonly string[];
      candidateGroups: readonly string[];
    } & InstanceRef)
  | ({
      type: 'variable.created' | 'variable.updated' | 'variable.deleted';
      executionId: string;
      taskId: string | null;
      name: string;
      value: TypedValue | null;
    } & InstanceRef)
  /**
   * An incident opened, or closed: `resolved` while its execution goes on
   * (retries given back, its job run, an operator's resolution), `deleted`
   * when it went away with its execution or instance.
   */
  | ({
      type: 'incident.created' | 'incident.resolved' | 'incident.deleted';
      incidentId: string;
      incidentType: string;
      activityId: string | null;
      executionId: string | null;
      configuration: string | null;
      message: string | null;
    } & InstanceRef)
  | ({ type: 'job.executed' } & JobRef)
  /** With `retries` 0 the job waits for an operator; its failedJob incident comes as `incident.created`. */
  | ({ type: 'job.failed'; retries: number; message: string } & JobRef);

export type DomainEventType = DomainEvent['type'];

export type DomainEventListener = (event: DomainEvent) => void;

/** A tiny synchronous fan-out; listener failures never reach the engine. */
export class EventBus {
  private readonly listeners = new Set<DomainEventListener>();

  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  publish(events: readonly DomainEvent[]): void {
    if (this.listeners.size === 0) return;
    for (const e of events) {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch {
          // A subscriber's bug must not break the engine or other subscribers.
        }
      }
    }
  }
}
