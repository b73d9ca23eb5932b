import { expect, it } from 'vitest';
import type { DomainEvent, Engine, HistoricIncidentFilter, HistoricIncidentRow, HistoricIncidentSortField, Page, Sorting } from '../../engine/index.js';
import { TestClock } from '../helpers/clock.js';
import { engineSuite } from '../helpers/engine-harness.js';

const DAY = 86_400_000;
let clock = new TestClock();
let failing = true;

const incidentService = {
  call(): string {
    if (failing) throw new Error('payment service down');
    return 'ok';
  },
};

const options = () => ({ clock: { now: () => clock.now() }, beans: { incidentService } });

/** Starts an instance whose asynchronous service task fails at once (R1 retry cycle): one failedJob incident. */
async function failedInstance(engine: Engine, key = 'incidentHistoryFailing'): Promise<{ id: string; jobId: string; incidentId: string }> {
  failing = true;
  const pi = await engine.startProcessInstance({ processDefinitionKey: key });
  const [job] = await engine.findJobs({ instanceId: pi.id });
  await expect(engine.executeJob(job!.id)).rejects.toThrow('payment service down');
  const [incident] = await engine.findIncidents({ instanceId: pi.id });
  return { id: pi.id, jobId: job!.id, incidentId: incident!.id };
}

function incidentEventsOf(engine: Engine): { events: string[]; stop: () => void } {
  const events: string[] = [];
  const stop = engine.subscribe((e: DomainEvent) => {
    if (e.type === 'incident.created' || e.type === 'incident.resolved' || e.type === 'incident.deleted') events.push(`${e.type} ${e.incidentId}`);
  });
  return { events, stop };
}

engineSuite(
  'incident history',
  (h) => {
    it('a job out of retries opens a historic incident with the runtime incident’s id and Camunda’s fields', async () => {
      clock = new TestClock('2030-01-01T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      const [runtime] = await h.engine().findIncidents({ instanceId: pi.id });
      const historic = await h.engine().findHistoricIncidents({ instanceId: pi.id });
      const [failure] = await h.engine().findHistoricJobLogs({ jobId: pi.jobId, failureLog: true });
      expect(runtime!.jobDefinitionId).toBe(`${runtime!.definitionId}:work:async-before`);
      expect(historic).toEqual([
        {
          id: pi.incidentId,
          type: 'failedJob',
          instanceId: pi.id,
          executionId: runtime!.executionId,
          rootInstanceId: pi.id,
          definitionId: runtime!.definitionId,
          definitionKey: 'incidentHistoryFailing',
          activityId: 'work',
          failedActivityId: 'work',
          causeIncidentId: pi.incidentId,
          rootCauseIncidentId: pi.incidentId,
          configuration: pi.jobId,
          historyConfiguration: failure!.id,
          message: 'Error while evaluating expression: ${incidentService.call()}. Cause: payment service down',
          annotation: null,
          jobDefinitionId: `${runtime!.definitionId}:work:async-before`,
          createTime: new Date('2030-01-01T08:00:00.000Z'),
          endTime: null,
          removalTime: null,
          tenantId: null,
          state: 'open',
        } satisfies HistoricIncidentRow,
      ]);
      expect(await h.engine().countHistoricIncidents({ instanceId: pi.id, open: true })).toBe(1);
    });

    it('giving the job retries back resolves the incident with an end time; the job then runs and it stays resolved', async () => {
      clock = new TestClock('2030-01-02T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      clock.advanceMinutes(30);
      await h.restart();
      await h.engine().setJobRetries(pi.jobId, 1);
      failing = false;
      await h.engine().executeJob(pi.jobId);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
      const [incident] = await h.engine().findHistoricIncidents({ instanceId: pi.id });
      expect(incident).toMatchObject({ id: pi.incidentId, state: 'resolved', endTime: new Date('2030-01-02T08:30:00.000Z'), createTime: new Date('2030-01-02T08:00:00.000Z') });
    });

    it('resolveIncident resolves a failedJob incident, and events and history agree on it', async () => {
      clock = new TestClock('2030-01-03T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      const seen = incidentEventsOf(h.engine());
      clock.advanceMinutes(5);
      await h.engine().resolveIncident(pi.incidentId);
      seen.stop();
      expect(seen.events).toEqual([`incident.resolved ${pi.incidentId}`]);
      expect(await h.engine().findHistoricIncidents({ id: pi.incidentId })).toMatchObject([{ state: 'resolved', endTime: new Date('2030-01-03T08:05:00.000Z') }]);
    });

    it('a job executed by hand that succeeds resolves its incident, as Camunda’s job execution does', async () => {
      clock = new TestClock('2030-01-04T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      expect((await h.engine().getJob(pi.jobId))!.retries).toBe(0);
      failing = false;
      clock.advanceMinutes(1);
      await h.engine().executeJob(pi.jobId);
      expect((await h.engine().findTasks({ instanceId: pi.id })).map((t) => t.taskDefinitionKey)).toEqual(['after']);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().findHistoricIncidents({ id: pi.incidentId })).toMatchObject([{ state: 'resolved', endTime: new Date('2030-01-04T08:01:00.000Z') }]);
    });

    it('cancelling an instance with an open incident marks the incident deleted', async () => {
      clock = new TestClock('2030-01-05T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      const seen = incidentEventsOf(h.engine());
      clock.advanceMinutes(10);
      await h.engine().deleteProcessInstance(pi.id, 'operator gave up');
      seen.stop();
      expect(seen.events).toEqual([`incident.deleted ${pi.incidentId}`]);
      expect(await h.engine().findIncidents({ instanceId: pi.id })).toEqual([]);
      expect(await h.engine().findHistoricIncidents({ instanceId: pi.id })).toMatchObject([
        { id: pi.incidentId, state: 'deleted', endTime: new Date('2030-01-05T08:10:00.000Z') },
      ]);
    });

    it('setting and clearing the annotation of an open incident updates its historic incident', async () => {
      clock = new TestClock('2030-01-06T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const pi = await failedInstance(h.engine());
      await h.engine().setIncidentAnnotation(pi.incidentId, 'ticket OPS-12');
      expect((await h.engine().findHistoricIncidents({ id: pi.incidentId }))[0]!.annotation).toBe('ticket OPS-12');
      await h.engine().resolveIncident(pi.incidentId);
      expect((await h.engine().findHistoricIncidents({ id: pi.incidentId }))[0]).toMatchObject({ annotation: 'ticket OPS-12', state: 'resolved' });
      const other = await failedInstance(h.engine());
      await h.engine().setIncidentAnnotation(other.incidentId, 'first look');
      await h.engine().setIncidentAnnotation(other.incidentId, null);
      expect((await h.engine().findHistoricIncidents({ id: other.incidentId }))[0]!.annotation).toBeNull();
    });

    it('filters by Camunda’s criteria, sorts and pages', async () => {
      clock = new TestClock('2030-02-01T08:00:00.000Z');
      await h.deploy('IncidentHistory.failingTask.bpmn');
      const open = await failedInstance(h.engine());
      clock.advanceMinutes(1);
      const resolved = await failedInstance(h.engine(), 'incidentHistoryFailingReport');
      clock.advanceMinutes(1);
      const deleted = await failedInstance(h.engine());
      clock.advanceMinutes(1);
      await h.engine().resolveIncident(resolved.incidentId);
      clock.advanceMinutes(1);
      await h.engine().deleteProcessInstance(deleted.id);
      const mine = [open.id, resolved.id, deleted.id];
      const ids = async (filter: HistoricIncidentFilter, page: Page = {}, sort?: Sorting<HistoricIncidentSortField>[]) =>
        (await h.engine().findHistoricIncidents(filter, page, sort)).filter((i) => mine.includes(i.instanceId!)).map((i) => i.id);
      const t = (minutes: number) => new Date(new Date('2030-02-01T08:00:00.000Z').getTime() + minutes * 60_000);

      expect(await ids({ open: true })).toEqual([open.incidentId]);
      expect(await ids({ resolved: true })).toEqual([resolved.incidentId]);
      expect(await ids({ deleted: true })).toEqual([deleted.incidentId]);
      expect(await ids({ instanceId: resolved.id })).toEqual([resolved.incidentId]);
      expect(await ids({ id: deleted.incidentId })).toEqual([deleted.incidentId]);
      expect(await ids({ definitionKey: 'incidentHistoryFailingReport' })).toEqual([resolved.incidentId]);
      expect(await ids({ definitionKeyIn: ['incidentHistoryFailing', 'nothing'] })).toEqual([open.incidentId, deleted.incidentId]);
      const [report] = await h.engine().findHistoricIncidents({ id: resolved.incidentId });
      expect(await ids({ definitionId: report!.definitionId! })).toEqual([resolved.incidentId]);
      expect(await ids({ activityId: 'report' })).toEqual([resolved.incidentId]);
      expect(await ids({ failedActivityId: 'work' })).toEqual([open.incidentId, deleted.incidentId]);
      expect(await ids({ executionId: report!.executionId! })).toEqual([resolved.incidentId]);
      expect(await ids({ configuration: open.jobId })).toEqual([open.incidentId]);
      expect(await ids({ causeIncidentId: open.incidentId })).toEqual([open.incidentId]);
      expect(await ids({ rootCauseIncidentId: deleted.incidentId })).toEqual([deleted.incidentId]);
      expect(await ids({ type: 'failedJob' })).toHaveLength(3);
      expect(await ids({ type: 'failedExternalTask' })).toEqual([]);
      expect(await ids({ message: 'Error while evaluating expression: ${incidentService.call()}. Cause: payment service down' })).toHaveLength(3);
      expect(await ids({ messageLike: '%payment service%' })).toHaveLength(3);
      expect(await ids({ messageLike: 'payment%' })).toEqual([]);
      expect(await ids({ createTimeAfter: t(1) })).toEqual([resolved.incidentId, deleted.incidentId]);
      expect(await ids({ createTimeBefore: t(1) })).toEqual([open.incidentId, resolved.incidentId]);
      expect(await ids({ endTimeAfter: t(4) })).toEqual([deleted.incidentId]);
      expect(await ids({ endTimeBefore: t(3) })).toEqual([resolved.incidentId]);
      expect(await ids({ withoutTenantId: true })).toHaveLength(3);
      expect(await ids({ tenantIdIn: ['acme'] })).toEqual([]);
      expect(await ids({ tenantIdIn: ['acme'], withoutTenantId: true })).toHaveLength(3);
      expect(await ids({ jobDefinitionIdIn: ['any'] })).toEqual([]);
      expect(await ids({ historyConfiguration: 'any' })).toEqual([]);

      expect(await ids({}, {}, [{ by: 'createTime', order: 'desc' }])).toEqual([deleted.incidentId, resolved.incidentId, open.incidentId]);
      expect(await ids({}, {}, [{ by: 'endTime', order: 'desc' }, { by: 'createTime' }])).toEqual([deleted.incidentId, resolved.incidentId, open.incidentId]);
      expect(await ids({}, {}, [{ by: 'activityId', order: 'asc' }, { by: 'createTime', order: 'desc' }])).toEqual([resolved.incidentId, deleted.incidentId, open.incidentId]);
      // By the state's name: Camunda sorts by its numeric state code (open, resolved, deleted).
      expect(await ids({}, {}, [{ by: 'state' }])).toEqual([deleted.incidentId, open.incidentId, resolved.incidentId]);
      const byKey = await ids({}, {}, [{ by: 'definitionKey', order: 'desc' }, { by: 'instanceId' }]);
      expect(byKey[0]).toBe(resolved.incidentId);

      const filter = { definitionKeyIn: ['incidentHistoryFailing', 'incidentHistoryFailingReport'], createTimeAfter: t(0) };
      expect(await h.engine().countHistoricIncidents(filter)).toBe(3);
      expect(await h.engine().countHistoricIncidents({ ...filter, open: true })).toBe(1);
      expect((await h.engine().findHistoricIncidents(filter, { firstResult: 1, maxResults: 1 })).map((i) => i.id)).toEqual([resolved.incidentId]);
    });

    it('an incident that was open when its instance ended gets the instance’s removal time and goes with history cleanup', async () => {
      clock = new TestClock('2030-03-01T00:00:00.000Z');
      await h.deploy('IncidentHistory.cleanup.bpmn');
      const pi = await failedInstance(h.engine(), 'incidentHistoryCleanup');
      clock.advance(DAY);
      await h.engine().deleteProcessInstance(pi.id);
      expect(await h.engine().findHistoricIncidents({ instanceId: pi.id })).toMatchObject([
        { state: 'deleted', endTime: new Date('2030-03-02T00:00:00.000Z'), removalTime: new Date('2030-03-07T00:00:00.000Z') },
      ]);
      clock.advance(6 * DAY);
      expect(await h.engine().cleanupHistory()).toBeGreaterThanOrEqual(1);
      expect(await h.engine().findHistoricIncidents({ instanceId: pi.id })).toEqual([]);
    });
  },
  options,
);

for (const level of ['none', 'activity', 'audit'] as const) {
  engineSuite(
    `incident history at level ${level}`,
    (h) => {
      it(`records no incidents below history level full, as Camunda (level ${level})`, async () => {
        clock = new TestClock('2030-04-01T08:00:00.000Z');
        await h.deploy('IncidentHistory.failingTask.bpmn');
        const pi = await failedInstance(h.engine());
        expect(await h.engine().countIncidents({ instanceId: pi.id })).toBe(1);
        await h.engine().setIncidentAnnotation(pi.incidentId, 'noted');
        await h.engine().resolveIncident(pi.incidentId);
        const other = await failedInstance(h.engine());
        await h.engine().deleteProcessInstance(other.id);
        expect(await h.engine().countHistoricIncidents({})).toBe(0);
      });
    },
    () => ({ ...options(), historyLevel: level }),
  );
}
