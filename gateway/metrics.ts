/**
 * `/metrics` in Prometheus text format. Engine counters are fed by the
 * engine's committed domain events (a rolled-back command counts nothing);
 * open incidents are read from the store at scrape time, so every node reports
 * the cluster's figure and a restart does not reset it. Each `Metrics` has its
 * own registry: two servers in one process (tests, embedding) never share or
 * clash on counters.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DomainEvent, Engine } from '../engine/index.js';
import type { GraphqlObserver } from './graphql/index.js';

export const METRICS_PATH = '/metrics';

/** The incident types the engine creates; each is one series of the open-incidents gauge. */
const INCIDENT_TYPES = ['failedJob', 'failedExternalTask'] as const;

/** Label values past this many per label become `other`: clients choose operation names and paths, and a series per value would grow without bound. */
const MAX_LABEL_VALUES = 100;

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event-loop lag, GC). Default true. */
  processMetrics?: boolean;
  /** Where /engine-rest is mounted, for its request durations. Default `/engine-rest`. */
  engineRestBasePath?: string;
}

/** Keeps a label's distinct values bounded. */
class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max = MAX_LABEL_VALUES) {}
  value(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(v);
    return v;
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly unsubscribe: () => void;
  private readonly restBase: string;
  private readonly operationNames = new BoundedLabel();
  private readonly restResources = new BoundedLabel();

  private readonly instancesStarted = new Counter({
    name: 'cadenzaflow_process_instances_started_total',
    help: 'Process instances started on this node',
    labelNames: ['definition_key'] as const,
    registers: [this.registry],
  });
  private readonly instancesCompleted = new Counter({
    name: 'cadenzaflow_process_instances_completed_total',
    help: 'Process instances that reached an end on this node (state COMPLETED)',
    labelNames: ['definition_key'] as const,
    registers: [this.registry],
  });
  private readonly instancesTerminated = new Counter({
    name: 'cadenzaflow_process_instances_terminated_total',
    help: 'Process instances cancelled (EXTERNALLY_TERMINATED) or ended by a terminate end event or an uncaught error (INTERNALLY_TERMINATED) on this node',
    labelNames: ['definition_key', 'state'] as const,
    registers: [this.registry],
  });
  private readonly activitiesCompleted = new Counter({
    name: 'cadenzaflow_activity_instances_completed_total',
    help: 'Activity instances that completed (not cancelled) on this node, by BPMN activity type',
    labelNames: ['activity_type'] as const,
    registers: [this.registry],
  });
  private readonly activitiesCanceled = new Counter({
    name: 'cadenzaflow_activity_instances_canceled_total',
    help: 'Activity instances cancelled (boundary events, cancellation, terminate) on this node, by BPMN activity type',
    labelNames: ['activity_type'] as const,
    registers: [this.registry],
  });
  private readonly jobsExecuted = new Counter({
    name: 'cadenzaflow_job_executions_total',
    help: 'Jobs that ran successfully on this node, by job type',
    labelNames: ['job_type'] as const,
    registers: [this.registry],
  });
  private readonly jobsFailed = new Counter({
    name: 'cadenzaflow_job_failures_total',
    help: 'Job runs that failed on this node (a retry was used up), by job type',
    labelNames: ['job_type'] as const,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'cadenzaflow_graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP, from receipt to response, by operation type and name',
    labelNames: ['operation_type', 'operation_name'] as const,
    registers: [this.registry],
  });
  private readonly graphqlCached = new Counter({
    name: 'cadenzaflow_graphql_operation_cache_hits_total',
    help: 'GraphQL requests over HTTP executed from the operation cache, without Apollo Server\'s request pipeline',
    registers: [this.registry],
  });
  private readonly restDuration = new Histogram({
    name: 'cadenzaflow_engine_rest_request_duration_seconds',
    help: '/engine-rest requests, by method, resource (first path segment) and status',
    labelNames: ['method', 'resource', 'status'] as const,
    registers: [this.registry],
  });

  constructor(engine: Engine, opts: MetricsOptions = {}) {
    this.restBase = (opts.engineRestBasePath ?? '/engine-rest').replace(/\/+$/, '');
    new Gauge({
      name: 'cadenzaflow_incidents_open',
      help: 'Open incidents in the store (all nodes), by incident type',
      labelNames: ['type'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const counts = await Promise.all(INCIDENT_TYPES.map((type) => engine.countIncidents({ type })));
          INCIDENT_TYPES.forEach((type, i) => this.set({ type }, counts[i]!));
        } catch {
          // The store is unreachable: /health/ready says so; the scrape keeps the last known figure.
        }
      },
    });
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.unsubscribe = engine.subscribe((e) => this.count(e));
  }

  private count(e: DomainEvent): void {
    switch (e.type) {
      case 'instance.started':
        this.instancesStarted.inc({ definition_key: e.definitionKey });
        break;
      case 'instance.ended':
        if (e.state === 'COMPLETED') this.instancesCompleted.inc({ definition_key: e.definitionKey });
        else this.instancesTerminated.inc({ definition_key: e.definitionKey, state: e.state });
        break;
      case 'activity.ended':
        (e.canceled ? this.activitiesCanceled : this.activitiesCompleted).inc({ activity_type: e.activityType });
        break;
      case 'job.executed':
        this.jobsExecuted.inc({ job_type: e.jobType });
        break;
      case 'job.failed':
        this.jobsFailed.inc({ job_type: e.jobType });
        break;
      default:
    }
  }

  /** Serves `GET /metrics` (returns true); anything else is left to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if ((req.url ?? '/').split('?')[0] !== METRICS_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('Method not allowed\n');
      return true;
    }
    this.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Metrics collection failed: ${(e as Error).message}\n`);
      },
    );
    return true;
  }

  /**
   * Times a request if it is for /engine-rest. Called before any handler runs,
   * since a handler may answer synchronously (CORS preflight).
   */
  observeRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== this.restBase && !path.startsWith(`${this.restBase}/`)) return;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.restDuration.observe({ method: req.method ?? 'GET', resource: this.restResources.value(restResource(path.slice(this.restBase.length))), status: String(res.statusCode) }, seconds);
    });
  }

  /**
   * Times GraphQL requests over HTTP and counts those the operation cache
   * answered; subscriptions over websocket last as long as the client wants
   * and are not timed.
   */
  readonly graphqlObserver: GraphqlObserver = (r) => {
    // No operation: the request failed to parse or validate.
    this.graphqlDuration.observe({ operation_type: r.operationType ?? 'invalid', operation_name: r.operationName ? this.operationNames.value(r.operationName) : 'anonymous' }, r.seconds);
    if (r.cached) this.graphqlCached.inc();
  };

  /** Stops following the engine. */
  close(): void {
    this.unsubscribe();
  }
}

/** `process-definition`, `history/task`, …: the resource a REST path addresses, without ids. */
function restResource(path: string): string {
  const parts = path.split('/').filter(Boolean);
  // Camunda's named-engine form `/engine/{name}/…` addresses the same resources.
  if (parts[0] === 'engine' && parts.length > 2) parts.splice(0, 2);
  if (parts.length === 0) return '/';
  return parts[0] === 'history' && parts[1] ? `history/${parts[1]}` : parts[0]!;
}
