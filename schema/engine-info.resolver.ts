import { Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from './context.js';
import { EngineInfo, Health } from './engine-info.type.js';

@Resolver()
export class EngineInfoResolver {
  @Query(() => EngineInfo, { description: 'The version, store and history level of the node answering.' })
  engineInfo(@Ctx() { engine, access }: GatewayContext): EngineInfo {
    access.require('READ');
    return engine.info();
  }

  @Query(() => Health, { description: 'The readiness /health/ready reports: UP once the store is reachable and migrated.' })
  async health(@Ctx() { engine, access }: GatewayContext): Promise<Health> {
    access.require('READ');
    try {
      const ok = await engine.store.isMigrated();
      return { status: ok ? 'UP' : 'DOWN', database: ok ? 'migrated' : 'migrations pending' };
    } catch (e) {
      return { status: 'DOWN', database: e instanceof Error ? e.message : String(e) };
    }
  }
}
