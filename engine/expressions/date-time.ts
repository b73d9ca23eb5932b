/**
 * What `dateTime()` returns: the subset of Joda-Time's `DateTime` that Camunda 7
 * models use in expressions (`${dateTime().plusDays(2).toDate()}`). Immutable;
 * calendar fields (days, months, years) follow the process's local time zone,
 * as Joda's default zone does, while seconds, minutes and hours add exact durations.
 */
export class DateTimeValue {
  readonly #millis: number;

  constructor(instant: number | Date) {
    const millis = typeof instant === 'number' ? instant : instant.getTime();
    if (!Number.isFinite(millis)) throw new RangeError(`Invalid instant: ${String(instant)}`);
    this.#millis = millis;
  }

  getMillis(): number {
    return this.#millis;
  }

  toDate(): Date {
    return new Date(this.#millis);
  }

  plusMillis(amount: unknown): DateTimeValue {
    return new DateTimeValue(this.#millis + toAmount(amount));
  }
  plusSeconds(amount: unknown): DateTimeValue {
    return new DateTimeValue(this.#millis + toAmount(amount) * 1000);
  }
  plusMinutes(amount: unknown): DateTimeValue {
    return new DateTimeValue(this.#millis + toAmount(amount) * 60_000);
  }
  plusHours(amount: unknown): DateTimeValue {
    return new DateTimeValue(this.#millis + toAmount(amount) * 3_600_000);
  }
  plusDays(amount: unknown): DateTimeValue {
    return new DateTimeValue(addDays(this.#millis, toAmount(amount)));
  }
  plusWeeks(amount: unknown): DateTimeValue {
    return new DateTimeValue(addDays(this.#millis, toAmount(amount) * 7));
  }
  plusMonths(amount: unknown): DateTimeValue {
    return new DateTimeValue(addMonths(this.#millis, toAmount(amount)));
  }
  plusYears(amount: unknown): DateTimeValue {
    return new DateTimeValue(addMonths(this.#millis, toAmount(amount) * 12));
  }

  minusMillis(amount: unknown): DateTimeValue {
    return this.plusMillis(-toAmount(amount));
  }
  minusSeconds(amount: unknown): DateTimeValue {
    return this.plusSeconds(-toAmount(amount));
  }
  minusMinutes(amount: unknown): DateTimeValue {
    return this.plusMinutes(-toAmount(amount));
  }
  minusHours(amount: unknown): DateTimeValue {
    return this.plusHours(-toAmount(amount));
  }
  minusDays(amount: unknown): DateTimeValue {
    return this.plusDays(-toAmount(amount));
  }
  minusWeeks(amount: unknown): DateTimeValue {
    return this.plusWeeks(-toAmount(amount));
  }
  minusMonths(amount: unknown): DateTimeValue {
    return this.plusMonths(-toAmount(amount));
  }
  minusYears(amount: unknown): DateTimeValue {
    return this.plusYears(-toAmount(amount));
  }

  /** Midnight of the same local day. */
  withTimeAtStartOfDay(): DateTimeValue {
    const d = new Date(this.#millis);
    d.setHours(0, 0, 0, 0);
    return new DateTimeValue(d);
  }

  getYear(): number {
    return new Date(this.#millis).getFullYear();
  }
  getMonthOfYear(): number {
    return new Date(this.#millis).getMonth() + 1;
  }
  getDayOfMonth(): number {
    return new Date(this.#millis).getDate();
  }
  /** ISO day of week: Monday 1 ... Sunday 7. */
  getDayOfWeek(): number {
    return new Date(this.#millis).getDay() || 7;
  }
  getHourOfDay(): number {
    return new Date(this.#millis).getHours();
  }
  getMinuteOfHour(): number {
    return new Date(this.#millis).getMinutes();
  }
  getSecondOfMinute(): number {
    return new Date(this.#millis).getSeconds();
  }

  isBefore(other: unknown): boolean {
    return this.#millis < instantOf(other);
  }
  isAfter(other: unknown): boolean {
    return this.#millis > instantOf(other);
  }
  isEqual(other: unknown): boolean {
    return this.#millis === instantOf(other);
  }
  compareTo(other: unknown): number {
    return Math.sign(this.#millis - instantOf(other));
  }
  equals(other: unknown): boolean {
    return other instanceof DateTimeValue && other.#millis === this.#millis;
  }

  /** ISO 8601 with the local offset, as Joda prints it: `2024-03-01T09:30:00.000+01:00`. */
  toString(): string {
    return formatIsoLocal(this.#millis);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** The epoch millis of a DateTimeValue, Date or number; anything else is a caller error. */
export function instantOf(value: unknown): number {
  if (value instanceof DateTimeValue) return value.getMillis();
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  throw new TypeError(`Expected a date or dateTime, got ${value === null ? 'null' : typeof value}`);
}

function toAmount(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new TypeError(`Expected an integer amount, got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
  return n;
}

function addDays(millis: number, days: number): number {
  const d = new Date(millis);
  d.setDate(d.getDate() + days);
  return d.getTime();
}

/** Joda clamps to the last day of the target month: Jan 31 plus one month is Feb 28 (or 29). */
function addMonths(millis: number, months: number): number {
  const d = new Date(millis);
  const day = d.getDate();
  d.setDate(1);
  d.setMonth(d.getMonth() + months);
  const lastDay = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
  d.setDate(Math.min(day, lastDay));
  return d.getTime();
}

function formatIsoLocal(millis: number): string {
  const d = new Date(millis);
  const offset = -d.getTimezoneOffset();
  const year = d.getFullYear();
  const yyyy = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
  return (
    `${yyyy}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}` +
    `T${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(d.getMilliseconds(), 3)}${zone}`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
