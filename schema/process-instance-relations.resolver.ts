/**
 * What hangs off a process instance besides its own fields (which
 * process-instance.resolver.ts resolves): its activity instance tree, the
 * instance that called it and the ones it called, and its history timeline.
 */
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HistoricProcessInstanceRow, ProcessInstanceInfo } from '../engine/index.js';
import type { GatewayContext } from './context.js';
import { ActivityInstance, toActivityInstance } from './activity-instance.type.js';
import { ConnectionArgs, connectionOf, MAX_PAGE_SIZE, type ConnectionShape } from './connection.js';
import { HistoricActivityInstance, HistoricActivityInstanceConnection, toHistoricActivityInstance } from './historic-activity-instance.type.js';
import { ProcessInstance, isRunning } from './process-instance.type.js';

function fromRunning(row: ProcessInstanceInfo): ProcessInstance {
  return { id: row.id, businessKey: row.businessKey, definitionId: row.definitionId, definitionKey: row.definitionKey, state: row.suspended ? 'SUSPENDED' : 'ACTIVE' };
}

function fromHistory(row: HistoricProcessInstanceRow): ProcessInstance {
  return { id: row.id, businessKey: row.businessKey, definitionId: row.definitionId, definitionKey: row.definitionKey, state: row.state };
}

/** The instance with its tenant, running or as history keeps it; null when neither knows it. */
async function lookUp(ctx: GatewayContext, id: string): Promise<{ instance: ProcessInstance; tenantId: string | null; superInstanceId: string | null } | null> {
  const running = await ctx.loaders.runningInstance.load(id);
  if (running) return { instance: fromRunning(running), tenantId: running.tenantId, superInstanceId: running.superInstanceId };
  const [historic] = await ctx.engine.findHistoricProcessInstances({ id }, { maxResults: 1 });
  return historic ? { instance: fromHistory(historic), tenantId: historic.tenantId, superInstanceId: historic.superInstanceId } : null;
}

@Resolver(() => ProcessInstance)
export class ProcessInstanceRelationsResolver {
  @FieldResolver(() => ActivityInstance, { nullable: true, description: "Camunda's runtime activity instance tree; null once the instance ended." })
  async activityInstanceTree(@Root() pi: ProcessInstance, @Ctx() { engine, access }: GatewayContext): Promise<ActivityInstance | null> {
    access.require('READ');
    if (!isRunning(pi.state)) return null;
    return toActivityInstance(await engine.getActivityInstanceTree(pi.id));
  }

  @FieldResolver(() => ProcessInstance, { nullable: true, description: 'The instance whose call activity started this one; null for a top-level instance.' })
  async parent(@Root() pi: ProcessInstance, @Ctx() ctx: GatewayContext): Promise<ProcessInstance | null> {
    ctx.access.require('READ');
    const self = await lookUp(ctx, pi.id);
    if (!self?.superInstanceId) return null;
    const parent = await lookUp(ctx, self.superInstanceId);
    return parent && ctx.access.canSeeTenant(parent.tenantId) ? parent.instance : null;
  }

  @FieldResolver(() => [ProcessInstance], { description: `Instances this one's call activities started, running or finished (at most ${MAX_PAGE_SIZE}), oldest first.` })
  async calledInstances(@Root() pi: ProcessInstance, @Ctx() { engine, access }: GatewayContext): Promise<ProcessInstance[]> {
    access.require('READ');
    const page = { maxResults: MAX_PAGE_SIZE };
    const [running, historic] = await Promise.all([
      engine.findProcessInstances({ superInstanceId: pi.id }, page, [{ by: 'startTime' }, { by: 'id' }]),
      engine.findHistoricProcessInstances({ superInstanceId: pi.id }, page, [{ by: 'startTime' }, { by: 'id' }]),
    ]);
    // Running rows know about suspension; history knows the finished ones (and the running ones again).
    const out = new Map<string, { instance: ProcessInstance; tenantId: string | null; start: number }>();
    for (const h of historic) out.set(h.id, { instance: fromHistory(h), tenantId: h.tenantId, start: h.startTime.getTime() });
    for (const r of running) out.set(r.id, { instance: fromRunning(r), tenantId: r.tenantId, start: r.startTime.getTime() });
    return [...out.values()]
      .filter((x) => access.canSeeTenant(x.tenantId))
      .sort((a, b) => a.start - b.start || (a.instance.id < b.instance.id ? -1 : 1))
      .slice(0, MAX_PAGE_SIZE)
      .map((x) => x.instance);
  }

  @FieldResolver(() => HistoricActivityInstanceConnection, { description: 'Every activity the instance entered, in the order they started (as far as the history level records them).' })
  timeline(@Root() pi: ProcessInstance, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() { engine, access }: GatewayContext): Promise<ConnectionShape<HistoricActivityInstance>> {
    access.require('READ');
    const f = { instanceId: pi.id };
    return connectionOf(
      args,
      (page) => engine.findHistoricActivityInstances(f, page, [{ by: 'startTime' }, { by: 'sequenceCounter' }, { by: 'id' }]),
      () => engine.countHistoricActivityInstances(f),
      toHistoricActivityInstance,
    );
  }
}
