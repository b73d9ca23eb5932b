/**
 * Camunda's history levels. `activity` records process, activity and task
 * instances; `audit` adds variable instances; `full` adds every variable update,
 * incidents and the job log.
 */
export type HistoryLevel = 'none' | 'activity' | 'audit' | 'full';

export const HISTORY_RANK: Record<HistoryLevel, number> = { none: 0, activity: 1, audit: 2, full: 3 };

export function parseHistoryLevel(text: string): HistoryLevel {
  const t = text.toLowerCase();
  if (t === 'none' || t === 'activity' || t === 'audit' || t === 'full') return t;
  throw new Error(`Unknown history level '${text}': expected none, activity, audit or full`);
}
