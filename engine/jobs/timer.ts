/**
 * Timer definitions as Camunda 7 accepts them: ISO 8601 dates (timeDate),
 * durations (timeDuration, `P1DT2H`), repeating intervals (timeCycle,
 * `R3/PT10M`, `R/PT1H`, `R2/2030-01-01T08:00:00Z/P1D`) and Quartz-style cron
 * expressions (`0 0/5 * * * ?`).
 */
import { BadUserInputError } from '../errors.js';

export type TimerType = 'timeDate' | 'timeDuration' | 'timeCycle';

export interface TimerSchedule {
  due: Date;
  /** What is left of a cycle after this firing (e.g. `R2/PT10M`), or null when it does not repeat. */
  repeat: string | null;
}

const DURATION = /^P(?!$)(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const n = (i: number): number => (m[i] ? Number(m[i]!.replace(',', '.')) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function addDuration(from: Date, d: Duration): Date {
  const t = new Date(from.getTime());
  if (d.years || d.months) t.setUTCMonth(t.getUTCMonth() + d.years * 12 + d.months);
  if (d.weeks || d.days) t.setUTCDate(t.getUTCDate() + d.weeks * 7 + d.days);
  return new Date(t.getTime() + Math.round((d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000));
}

function parseDate(text: string): Date | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

function bad(type: TimerType, text: string, what: string): never {
  throw new BadUserInputError(`Invalid ${type} '${text}': ${what}`, type);
}

/** The first due date of a timer whose (evaluated) definition is `value`. */
export function firstDue(type: TimerType, value: unknown, now: Date): TimerSchedule {
  if (value instanceof Date) return { due: value, repeat: null };
  const text = String(value ?? '').trim();
  if (type === 'timeDate') {
    const d = parseDate(text);
    if (!d) bad(type, text, 'expected an ISO 8601 date-time such as 2030-01-31T10:00:00Z');
    return { due: d, repeat: null };
  }
  if (type === 'timeDuration') {
    const d = parseDuration(text);
    if (!d) bad(type, text, 'expected an ISO 8601 duration such as PT5M or P1DT2H');
    return { due: addDuration(now, d), repeat: null };
  }
  return nextCycle(text, now, true);
}

/**
 * The next firing of a cycle. `first` is true when the timer is created: a
 * start date in the future is the first due date then.
 */
export function nextCycle(text: string, now: Date, first = false): TimerSchedule {
  if (!text.startsWith('R')) {
    const cron = parseCron(text);
    return { due: cron.next(now), repeat: text };
  }
  const parts = text.split('/');
  const countText = parts[0]!.slice(1);
  const count = countText === '' ? Infinity : Number(countText);
  if (!Number.isInteger(count) && count !== Infinity) bad('timeCycle', text, 'the repetition count after R must be a number');
  if (count <= 0) bad('timeCycle', text, 'the repetition count must be positive');
  let start: Date | null = null;
  let duration: Duration | null = null;
  if (parts.length === 2) duration = parseDuration(parts[1]!);
  else if (parts.length === 3) {
    start = parseDate(parts[1]!);
    duration = parseDuration(parts[2]!);
    if (!start) {
      // R/duration/end is also ISO 8601; Camunda reads it as the duration repeating until the end.
      duration = parseDuration(parts[1]!);
    }
  }
  if (!duration) bad('timeCycle', text, 'expected R[n]/[start/]duration (e.g. R3/PT10M) or a cron expression');
  let due: Date;
  if (first && start && start.getTime() > now.getTime()) due = start;
  else if (start) {
    due = start;
    while (due.getTime() <= now.getTime()) due = addDuration(due, duration);
  } else due = addDuration(now, duration);
  const left = count === Infinity ? Infinity : count - 1;
  const repeat = left <= 0 ? null : `R${left === Infinity ? '' : left}/${parts[parts.length - 1]}`;
  return { due, repeat };
}

// ---------------------------------------------------------------- cron

interface Cron {
  next(after: Date): Date;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] | null, offset: number, what: string): Set<number> | null {
  if (text === '*' || text === '?') return null;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [rangeText, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new BadUserInputError(`Invalid cron ${what} '${text}'`, 'timeCycle');
    const value = (v: string): number => {
      const i = names ? names.indexOf(v.toUpperCase()) : -1;
      const n = i >= 0 ? i + offset : Number(v);
      if (!Number.isInteger(n) || n < min || n > max) throw new BadUserInputError(`Invalid cron ${what} '${text}'`, 'timeCycle');
      return n;
    };
    let lo: number;
    let hi: number;
    if (rangeText === '*' || rangeText === '?') {
      lo = min;
      hi = max;
    } else if (rangeText!.includes('-')) {
      const [a, b] = rangeText!.split('-');
      lo = value(a!);
      hi = value(b!);
    } else {
      lo = value(rangeText!);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Quartz cron: seconds minutes hours day-of-month month day-of-week [year]; `?`, ranges, lists, steps, names. */
export function parseCron(text: string): Cron {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 6 || parts.length > 7) {
    throw new BadUserInputError(`Invalid timeCycle '${text}': expected R[n]/duration or a cron expression of 6 or 7 fields`, 'timeCycle');
  }
  const sec = field(parts[0]!, 0, 59, null, 0, 'seconds');
  const min = field(parts[1]!, 0, 59, null, 0, 'minutes');
  const hour = field(parts[2]!, 0, 23, null, 0, 'hours');
  const dom = field(parts[3]!, 1, 31, null, 0, 'day of month');
  const mon = field(parts[4]!, 1, 12, MONTHS, 1, 'month');
  // Quartz numbers days 1 (SUN) … 7 (SAT).
  const dowQ = field(parts[5]!, 1, 7, DAYS, 1, 'day of week');
  const year = parts[6] ? field(parts[6], 1970, 2199, null, 0, 'year') : null;
  const ok = (s: Set<number> | null, v: number): boolean => s === null || s.has(v);
  return {
    next(after: Date): Date {
      const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      while (t.getTime() < limit) {
        if (!ok(year, t.getUTCFullYear()) || !ok(mon, t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!ok(dom, t.getUTCDate()) || !ok(dowQ, t.getUTCDay() + 1)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!ok(hour, t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!ok(min, t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        if (!ok(sec, t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
          continue;
        }
        return t;
      }
      throw new BadUserInputError(`The cron expression '${text}' never fires`, 'timeCycle');
    },
  };
}

/**
 * Retry schedule from `camunda:failedJobRetryTimeCycle`, with Camunda's
 * arithmetic: `R5/PT5M` gives the job 5 retries 5 minutes apart; a list
 * `PT10M,PT17M,PT20M` gives one more retry than intervals, the first failure
 * waiting the first interval. Retries are set on the first failure.
 */
export interface RetrySchedule {
  retries: number;
  /** Delay after a failure while the job still had `retriesBefore` retries. */
  delay(retriesBefore: number): Duration;
}

export function parseRetryCycle(text: string): RetrySchedule {
  const t = text.trim();
  let retries: number;
  let intervals: Duration[];
  if (t.startsWith('R')) {
    const [countText, durText] = t.slice(1).split('/');
    const d = durText ? parseDuration(durText) : null;
    retries = Number(countText);
    if (!Number.isInteger(retries) || retries < 0 || !d) throw new BadUserInputError(`Invalid failedJobRetryTimeCycle '${text}': expected e.g. R5/PT5M`, 'failedJobRetryTimeCycle');
    intervals = [d];
  } else {
    const list = t.split(',').map((x) => parseDuration(x.trim()));
    if (list.length === 0 || list.some((d) => d === null)) {
      throw new BadUserInputError(`Invalid failedJobRetryTimeCycle '${text}': expected R5/PT5M or PT10M,PT17M,PT20M`, 'failedJobRetryTimeCycle');
    }
    intervals = list as Duration[];
    retries = intervals.length === 1 ? 1 : intervals.length + 1;
  }
  const n = intervals.length;
  return { retries, delay: (before) => intervals[Math.max(0, Math.min(n - 1, n - (before - 1)))]! };
}
