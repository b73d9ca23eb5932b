import { describe, expect, it } from 'vitest';
import { escapeLike } from '../../engine/persistence/sql/dialect.js';
import type { DeploymentFilter, ProcessDefinitionFilter } from '../../engine/persistence/store.js';
import { eachStore } from '../helpers/stores.js';
import { at, deployment, inserts, processDefinition, resource } from './rows.js';

eachStore((store) => {
  describe('deployments', () => {
    const seed = () =>
      store().commit(
        inserts('deployment', [
          deployment({ id: 'd1', name: 'invoice', source: 'app', tenantId: null, deployTime: at(0) }),
          deployment({ id: 'd2', name: 'invoice', source: 'cockpit', tenantId: 'acme', deployTime: at(10) }),
          deployment({ id: 'd3', name: 'order_2024', source: null, tenantId: 'beta', deployTime: at(20) }),
        ]),
      );
    const ids = async (filter: DeploymentFilter) => (await store().findDeployments(filter)).map((d) => d.id);

    it('getDeployment finds one by id and null for an unknown id', async () => {
      await seed();
      expect((await store().getDeployment('d2'))?.source).toBe('cockpit');
      expect(await store().getDeployment('nope')).toBeNull();
    });

    it('filters by id, name, source and deploy time', async () => {
      await seed();
      expect(await ids({ id: 'd1' })).toEqual(['d1']);
      expect(await ids({ name: 'invoice' })).toEqual(['d1', 'd2']);
      expect(await ids({ source: 'cockpit' })).toEqual(['d2']);
      expect(await ids({ deployedBefore: at(10) })).toEqual(['d1']);
      expect(await ids({ deployedAfter: at(10) })).toEqual(['d3']);
      expect(await ids({ deployedAfter: at(0), deployedBefore: at(20) })).toEqual(['d2']);
    });

    it('nameLike uses % as given, matches case-sensitively and escapes with a backslash', async () => {
      await seed();
      expect(await ids({ nameLike: 'inv%' })).toEqual(['d1', 'd2']);
      expect(await ids({ nameLike: 'INV%' })).toEqual([]);
      expect(await ids({ nameLike: '%_2024' })).toEqual(['d3']);
      expect(await ids({ nameLike: `${escapeLike('order_')}%` })).toEqual(['d3']);
      expect(await ids({ nameLike: `${escapeLike('orde_')}%` })).toEqual([]);
    });

    it('filters by tenant, without tenant, or both', async () => {
      await seed();
      expect(await ids({ tenantIdIn: ['acme', 'beta'] })).toEqual(['d2', 'd3']);
      expect(await ids({ withoutTenantId: true })).toEqual(['d1']);
      expect(await ids({ tenantIdIn: ['acme'], withoutTenantId: true })).toEqual(['d1', 'd2']);
      expect(await ids({ tenantIdIn: [] })).toEqual([]);
    });

    it('orders by deploy time by default and by any sortable field on request', async () => {
      await seed();
      expect(await ids({})).toEqual(['d1', 'd2', 'd3']);
      expect((await store().findDeployments({}, {}, [{ by: 'deploymentTime', order: 'desc' }])).map((d) => d.id)).toEqual(['d3', 'd2', 'd1']);
      expect((await store().findDeployments({}, {}, [{ by: 'name', order: 'desc' }, { by: 'id', order: 'desc' }])).map((d) => d.id)).toEqual([
        'd3',
        'd2',
        'd1',
      ]);
      // null sorts as the smallest value in both stores
      expect((await store().findDeployments({}, {}, [{ by: 'tenantId' }])).map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
      expect((await store().findDeployments({}, {}, [{ by: 'tenantId', order: 'desc' }])).map((d) => d.id)).toEqual(['d3', 'd2', 'd1']);
    });

    it('pages with firstResult and maxResults, and counts ignore paging', async () => {
      await seed();
      expect((await store().findDeployments({}, { firstResult: 1, maxResults: 1 })).map((d) => d.id)).toEqual(['d2']);
      expect((await store().findDeployments({}, { firstResult: 2 })).map((d) => d.id)).toEqual(['d3']);
      expect((await store().findDeployments({}, { maxResults: 0 })).map((d) => d.id)).toEqual([]);
      expect(await store().countDeployments({})).toBe(3);
      expect(await store().countDeployments({ name: 'invoice' })).toBe(2);
    });
  });

  describe('resources', () => {
    const seed = () =>
      store().commit([
        ...inserts('deployment', [
          deployment({ id: 'd1', name: 'invoice', deployTime: at(0) }),
          deployment({ id: 'd2', name: 'invoice', deployTime: at(10) }),
          deployment({ id: 'd3', name: 'invoice', tenantId: 'acme', deployTime: at(20) }),
          deployment({ id: 'd4', name: 'other', deployTime: at(30) }),
        ]),
        ...inserts('resource', [
          resource({ id: 'r1a', deploymentId: 'd1', name: 'a.bpmn', hash: 'h1a' }),
          resource({ id: 'r1b', deploymentId: 'd1', name: 'b.bpmn', hash: 'h1b' }),
          resource({ id: 'r2a', deploymentId: 'd2', name: 'a.bpmn', hash: 'h2a' }),
          resource({ id: 'r3a', deploymentId: 'd3', name: 'a.bpmn', hash: 'h3a' }),
          resource({ id: 'r4a', deploymentId: 'd4', name: 'a.bpmn', hash: 'h4a' }),
        ]),
      ]);

    it('getResources lists a deployment’s resources by name and getResource finds one', async () => {
      await seed();
      expect((await store().getResources('d1')).map((r) => r.id)).toEqual(['r1a', 'r1b']);
      expect((await store().getResource('d1', 'b.bpmn'))?.hash).toBe('h1b');
      expect(await store().getResource('d1', 'c.bpmn')).toBeNull();
      expect(await store().getResources('nope')).toEqual([]);
    });

    it('getLatestResourcesByName returns the resources of the newest same-named deployment having one of the names', async () => {
      await seed();
      const latest = async (name: string, tenant: string | null, names: string[]) =>
        (await store().getLatestResourcesByName(name, tenant, names)).map((r) => r.id);
      expect(await latest('invoice', null, ['a.bpmn'])).toEqual(['r2a']);
      expect(await latest('invoice', null, ['b.bpmn'])).toEqual(['r1a', 'r1b']);
      expect(await latest('invoice', null, ['b.bpmn', 'a.bpmn'])).toEqual(['r2a']);
      expect(await latest('invoice', 'acme', ['a.bpmn'])).toEqual(['r3a']);
      expect(await latest('invoice', null, ['x.bpmn'])).toEqual([]);
      expect(await latest('invoice', null, [])).toEqual([]);
      expect(await latest('nope', null, ['a.bpmn'])).toEqual([]);
    });
  });

  describe('process definitions', () => {
    const seed = () =>
      store().commit(
        inserts('processDefinition', [
          processDefinition({ id: 'invoice:1', key: 'invoice', version: 1, versionTag: '1.0', deploymentId: 'd1', category: 'cat-a' }),
          processDefinition({
            id: 'invoice:2',
            key: 'invoice',
            version: 2,
            versionTag: '2.0-beta',
            deploymentId: 'd2',
            suspended: true,
            startableInTasklist: false,
            resourceName: 'invoice-v2.bpmn',
          }),
          processDefinition({ id: 'invoice:1:acme', key: 'invoice', version: 1, versionTag: '1.0', deploymentId: 'd3', tenantId: 'acme' }),
          processDefinition({ id: 'order:1', key: 'order_process', version: 1, name: 'Order process', deploymentId: 'd2', category: 'cat-b' }),
        ]),
      );
    const ids = async (filter: ProcessDefinitionFilter) =>
      (await store().findProcessDefinitions(filter)).map((d) => d.id);

    it('looks up the latest version per tenant, a version, a version tag and a deployment', async () => {
      await seed();
      expect((await store().getLatestProcessDefinition('invoice', null))?.id).toBe('invoice:2');
      expect((await store().getLatestProcessDefinition('invoice', 'acme'))?.id).toBe('invoice:1:acme');
      expect(await store().getLatestProcessDefinition('invoice', 'other')).toBeNull();
      expect((await store().getProcessDefinitionByVersion('invoice', 1, null))?.id).toBe('invoice:1');
      expect((await store().getProcessDefinitionByVersion('invoice', 1, 'acme'))?.id).toBe('invoice:1:acme');
      expect(await store().getProcessDefinitionByVersion('invoice', 3, null)).toBeNull();
      expect((await store().getProcessDefinitionByVersionTag('invoice', '2.0-beta', null))?.id).toBe('invoice:2');
      expect((await store().getProcessDefinitionByVersionTag('invoice', '1.0', 'acme'))?.id).toBe('invoice:1:acme');
      expect((await store().getProcessDefinitionInDeployment('invoice', 'd2'))?.id).toBe('invoice:2');
      expect(await store().getProcessDefinitionInDeployment('invoice', 'd4')).toBeNull();
      expect((await store().getProcessDefinition('order:1'))?.name).toBe('Order process');
    });

    it('latestVersion keeps the highest version per key and tenant', async () => {
      await seed();
      expect(await ids({ latestVersion: true })).toEqual(['invoice:1:acme', 'invoice:2', 'order:1']);
      expect(await ids({ latestVersion: true, key: 'invoice', withoutTenantId: true })).toEqual(['invoice:2']);
      expect(await store().countProcessDefinitions({ latestVersion: true })).toBe(3);
    });

    it('filters by id, key, name and version', async () => {
      await seed();
      expect(await ids({ id: 'order:1' })).toEqual(['order:1']);
      expect(await ids({ idIn: ['order:1', 'invoice:2'] })).toEqual(['invoice:2', 'order:1']);
      expect(await ids({ key: 'invoice', version: 1 })).toEqual(['invoice:1', 'invoice:1:acme']);
      expect(await ids({ keyIn: ['order_process'] })).toEqual(['order:1']);
      expect(await ids({ keyLike: 'order\\_%' })).toEqual(['order:1']);
      expect(await ids({ name: 'Order process' })).toEqual(['order:1']);
      expect(await ids({ nameLike: '%process' })).toEqual(['order:1']);
      expect(await ids({ version: 2 })).toEqual(['invoice:2']);
    });

    it('filters by deployment, version tag, resource name and category', async () => {
      await seed();
      expect(await ids({ deploymentId: 'd2' })).toEqual(['invoice:2', 'order:1']);
      expect(await ids({ versionTag: '1.0' })).toEqual(['invoice:1', 'invoice:1:acme']);
      expect(await ids({ versionTagLike: '%beta' })).toEqual(['invoice:2']);
      expect(await ids({ resourceName: 'invoice-v2.bpmn' })).toEqual(['invoice:2']);
      expect(await ids({ category: 'cat-b' })).toEqual(['order:1']);
    });

    it('filters by tenant, suspension and startability', async () => {
      await seed();
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual(['invoice:1:acme']);
      expect(await ids({ withoutTenantId: true, key: 'invoice' })).toEqual(['invoice:1', 'invoice:2']);
      expect(await ids({ suspended: true })).toEqual(['invoice:2']);
      expect(await ids({ suspended: false, key: 'invoice' })).toEqual(['invoice:1', 'invoice:1:acme']);
      expect(await ids({ startableInTasklist: false })).toEqual(['invoice:2']);
    });

    it('orders by key then version by default, pages and sorts on request', async () => {
      await seed();
      expect(await ids({})).toEqual(['invoice:1', 'invoice:1:acme', 'invoice:2', 'order:1']);
      const byVersionDesc = await store().findProcessDefinitions({}, { maxResults: 2 }, [{ by: 'version', order: 'desc' }, { by: 'key' }]);
      expect(byVersionDesc.map((d) => d.id)).toEqual(['invoice:2', 'invoice:1']);
      const byTag = await store().findProcessDefinitions({}, { firstResult: 1 }, [{ by: 'versionTag', order: 'desc' }]);
      expect(byTag.map((d) => d.id)).toEqual(['invoice:1', 'invoice:1:acme', 'order:1']);
      expect(await store().countProcessDefinitions({ key: 'invoice' })).toBe(3);
    });
  });
});
