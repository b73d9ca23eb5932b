/**
 * `/event-subscription`: message, signal, conditional and compensation
 * subscriptions of running instances and of start events. Camunda's
 * EventSubscriptionRestService.
 */
import type { EventSubscriptionFilter, EventSubscriptionRow } from '../../engine/index.js';
import { scopeToTenants } from '../../schema/access.js';
import { formatDate } from './json.js';
import { countOf, listPage, sortingOf } from './paging.js';
import { compact, queryParams, rejectUnsupported, type Params } from './params.js';
import type { Router } from './router.js';

/** Camunda's sort keys; the store cannot sort subscriptions yet (they come oldest first). */
const SORT = { created: null, tenantId: null } as const;

/** Camunda's EventSubscriptionDto. */
export function eventSubscriptionDto(s: EventSubscriptionRow) {
  return {
    id: s.id,
    eventType: s.type,
    eventName: s.eventName,
    executionId: s.executionId,
    processInstanceId: s.instanceId,
    activityId: s.activityId,
    createdDate: formatDate(s.createTime),
    tenantId: s.tenantId,
  };
}

function subscriptionFilter(p: Params): EventSubscriptionFilter {
  rejectUnsupported(p, ['withoutTenantId', 'includeEventSubscriptionsWithoutTenantId']);
  return compact({
    id: p.string('eventSubscriptionId'),
    eventName: p.string('eventName'),
    type: p.string('eventType'),
    executionId: p.string('executionId'),
    instanceId: p.string('processInstanceId'),
    activityId: p.string('activityId'),
    tenantIdIn: p.list('tenantIdIn'),
  });
}

export function registerEventSubscriptionRoutes(router: Router): void {
  router.get('/event-subscription', 'READ', async (r) => {
    const p = queryParams(r.query);
    const filter = scopeToTenants(r.access, subscriptionFilter(p));
    sortingOf(p.sorting(), SORT);
    return listPage(r, async (page) => (await r.engine.findEventSubscriptions(filter, page)).map(eventSubscriptionDto));
  });
  router.get('/event-subscription/count', 'READ', async (r) => countOf(await r.engine.store.countEventSubscriptions(scopeToTenants(r.access, subscriptionFilter(queryParams(r.query))))));
}
