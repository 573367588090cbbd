/**
 * Free session slots for a coach and a requester: both weekly availabilities (each in its own IANA zone)
 * are expanded into concrete UTC ranges, intersected, and cleared of busy sessions plus a buffer.
 *
 * Pure: `now` is passed in and nothing is read from the clock, the database or the environment.
 */
import { IANAZone } from "luxon";
import type { AvailabilityWindow } from "~/domain/availability";

export type WeeklyAvailability = { timeZone: string; windows: AvailabilityWindow[] };

/** UTC epoch milliseconds, half-open [startsAt, endsAt). */
export type TimeRange = { startsAt: number; endsAt: number };

export type SlotRules = {
  durationMinutes: number;
  /** Minimum gap between a slot and any busy range, on both sides. */
  bufferMinutes: number;
  /** Slots start no earlier than `now` plus this. */
  noticeMinutes: number;
  /** Slots start before `now` plus this many 24-hour days. */
  horizonDays: number;
  /** Distance between candidate starts within one free stretch. */
  stepMinutes: number;
};

/** Everything but the duration, which each coaching request chooses for itself. */
export const defaultSlotRules: Omit<SlotRules, "durationMinutes"> = {
  bufferMinutes: 15,
  noticeMinutes: 24 * 60,
  horizonDays: 28,
  stepMinutes: 30,
};

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
// Every zone in use today is offset from UTC by a multiple of 15 minutes (India +5:30, Nepal +5:45), so
// starts on UTC quarter hours are also on local quarter hours for both participants.
const MS_PER_QUARTER_HOUR = 15 * MS_PER_MINUTE;

/**
 * Slot starts in `[now + notice, now + horizon)`, ascending and distinct. A slot lies entirely inside time
 * both sides are available (touching windows such as Monday 22:00–24:00 and Tuesday 00:00–02:00 count as one
 * stretch) and keeps `bufferMinutes` away from every busy range (see `conflictsWithBusy`). Within each free
 * stretch the first start is the stretch start rounded up to a UTC quarter hour, then every `stepMinutes`
 * while the whole slot still fits.
 *
 * Availability windows are local wall-clock times on every calendar date of their owner's zone; on
 * daylight-saving days a wall time skipped by the forward jump maps to the jump itself, and a time repeated
 * when clocks go back maps to its first occurrence (as in `toUtcMinutesOfWeek`). So 01:00–04:00 in Berlin on
 * the spring-forward night lasts two real hours and 02:00–03:00 on the autumn night lasts two.
 *
 * Throws a RangeError for an unknown time zone or rules that are not positive where they must be.
 */
export function findFreeSlots(input: SlotSearch): TimeRange[] {
  const { earliestStart, startsBefore, stretches } = freeTime(input);
  const durationMs = input.rules.durationMinutes * MS_PER_MINUTE;
  const stepMs = input.rules.stepMinutes * MS_PER_MINUTE;
  const slots: TimeRange[] = [];
  for (const stretch of stretches) {
    const firstStart = roundUpToQuarterHour(Math.max(stretch.startsAt, earliestStart));
    for (let startsAt = firstStart; startsAt < startsBefore; startsAt += stepMs) {
      const endsAt = startsAt + durationMs;
      if (endsAt > stretch.endsAt) break;
      slots.push({ startsAt, endsAt });
    }
  }
  return slots;
}

/**
 * Whether a session may start at `startsAt`: on a quarter hour, within notice and horizon, and wholly inside time
 * both are free. Wider than membership in `findFreeSlots`, whose grid moves with `now`: a time someone saw on the
 * page a few minutes ago stays bookable as long as it is still free.
 */
export function isFreeSlot(input: SlotSearch, startsAt: number): boolean {
  const { earliestStart, startsBefore, stretches } = freeTime(input);
  const endsAt = startsAt + input.rules.durationMinutes * MS_PER_MINUTE;
  return (
    startsAt % MS_PER_QUARTER_HOUR === 0 &&
    startsAt >= earliestStart &&
    startsAt < startsBefore &&
    stretches.some((stretch) => stretch.startsAt <= startsAt && endsAt <= stretch.endsAt)
  );
}

export type SlotSearch = {
  now: number;
  coach: WeeklyAvailability;
  requester: WeeklyAvailability;
  busy: TimeRange[];
  rules: SlotRules;
};

function freeTime({ now, coach, requester, busy, rules }: SlotSearch) {
  assertUsableRules(rules);
  const earliestStart = now + rules.noticeMinutes * MS_PER_MINUTE;
  const startsBefore = now + rules.horizonDays * MS_PER_DAY;
  if (earliestStart >= startsBefore) return { earliestStart, startsBefore, stretches: [] };
  const bothAvailable = intersect(expandAvailability(coach, now, startsBefore), expandAvailability(requester, now, startsBefore));
  const blocked = mergeRanges(busy.map((range) => widenByBuffer(range, rules.bufferMinutes)));
  return { earliestStart, startsBefore, stretches: subtract(bothAvailable, blocked) };
}

/**
 * Whether `slot` comes within `bufferMinutes` of a busy range: it may neither start less than the buffer after
 * a busy range ends nor end less than the buffer before one starts. Ending exactly the buffer before is fine.
 * `findFreeSlots` applies the same rule; the server re-checks a chosen slot with this at confirmation time.
 */
export function conflictsWithBusy(slot: TimeRange, busy: TimeRange[], bufferMinutes: number): boolean {
  return busy.some((range) => {
    const blocked = widenByBuffer(range, bufferMinutes);
    return slot.startsAt < blocked.endsAt && blocked.startsAt < slot.endsAt;
  });
}

function assertUsableRules(rules: SlotRules): void {
  for (const name of ["durationMinutes", "stepMinutes", "horizonDays"] as const) {
    if (!(rules[name] > 0)) throw new RangeError(`Slot rule ${name} must be positive, got ${rules[name]}`);
  }
  for (const name of ["bufferMinutes", "noticeMinutes"] as const) {
    if (!(rules[name] >= 0)) throw new RangeError(`Slot rule ${name} must not be negative, got ${rules[name]}`);
  }
}

function widenByBuffer(range: TimeRange, bufferMinutes: number): TimeRange {
  const bufferMs = bufferMinutes * MS_PER_MINUTE;
  return { startsAt: range.startsAt - bufferMs, endsAt: range.endsAt + bufferMs };
}

function roundUpToQuarterHour(instant: number): number {
  return Math.ceil(instant / MS_PER_QUARTER_HOUR) * MS_PER_QUARTER_HOUR;
}

/**
 * The availability as merged UTC ranges for every local calendar date from the one containing `from` to the
 * one containing `until`. Ranges outside [from, until) are left for the notice and horizon checks to drop.
 */
function expandAvailability(availability: WeeklyAvailability, from: number, until: number): TimeRange[] {
  const zone = localClock(availability.timeZone);
  const ranges: TimeRange[] = [];
  const lastLocalDate = startOfWallClockDay(zone.wallClockAt(until));
  for (let localDate = startOfWallClockDay(zone.wallClockAt(from)); localDate <= lastLocalDate; ) {
    const isoWeekday = ((new Date(localDate).getUTCDay() + 6) % 7) + 1;
    for (const window of availability.windows.filter((candidate) => candidate.weekday === isoWeekday)) {
      const startsAt = zone.instantOf(localDate + window.startMinute * MS_PER_MINUTE);
      const endsAt = zone.instantOf(localDate + window.endMinute * MS_PER_MINUTE);
      // Empty when the whole window falls into the hour skipped by a forward jump.
      if (endsAt > startsAt) ranges.push({ startsAt, endsAt });
    }
    // Wall-clock days are encoded as UTC timestamps, so every one of them is exactly 24 hours long.
    localDate += MS_PER_DAY;
  }
  return mergeRanges(ranges);
}

/** Wall-clock readings are encoded as if they were UTC timestamps, so calendar arithmetic is plain maths. */
type LocalClock = {
  wallClockAt(instant: number): number;
  /** The first instant at which the clock shows `wallClock`, or the forward jump that skipped it. */
  instantOf(wallClock: number): number;
};

function localClock(timeZone: string): LocalClock {
  if (!IANAZone.isValidZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const zone = IANAZone.create(timeZone);
  // Each offset lookup asks Intl and costs microseconds. Offsets are sampled at whole-day instants that
  // neighbouring dates share, so a 28-day horizon needs about 30 lookups. luxon's DateTime.fromObject would
  // be simpler but costs ~15 µs a call, and it moves a skipped wall time forward by the gap instead of to the
  // jump and picks the second occurrence of a repeated one.
  const offsetCache = new Map<number, number>();
  const offsetMs = (instant: number): number => {
    let cached = offsetCache.get(instant);
    if (cached === undefined) {
      cached = zone.offset(instant) * MS_PER_MINUTE;
      offsetCache.set(instant, cached);
    }
    return cached;
  };
  const wallClockAt = (instant: number) => instant + zone.offset(instant) * MS_PER_MINUTE;

  return {
    wallClockAt,
    instantOf(wallClock) {
      const day = startOfWallClockDay(wallClock);
      // Offsets lie within ±14 hours, so these instants fall safely before and after every instant of the day;
      // no zone changes its offset twice within three days, so equal offsets mean no change during the day.
      const offsetBefore = offsetMs(day - MS_PER_DAY);
      const offsetAfter = offsetMs(day + 2 * MS_PER_DAY);
      if (offsetBefore === offsetAfter) return wallClock - offsetBefore;

      const showingIt = [wallClock - offsetBefore, wallClock - offsetAfter].filter(
        (candidate) => wallClockAt(candidate) === wallClock,
      );
      if (showingIt.length > 0) return Math.min(...showingIt);

      // Skipped by a forward jump (offsetAfter > offsetBefore): find the jump by bisection over whole minutes,
      // the first instant already on the later offset.
      let onEarlierOffset = wallClock - offsetAfter;
      let onLaterOffset = wallClock - offsetBefore;
      while (onLaterOffset - onEarlierOffset > MS_PER_MINUTE) {
        const halfInMinutes = Math.floor((onLaterOffset - onEarlierOffset) / MS_PER_MINUTE / 2);
        const middle = onEarlierOffset + halfInMinutes * MS_PER_MINUTE;
        if (zone.offset(middle) * MS_PER_MINUTE === offsetAfter) onLaterOffset = middle;
        else onEarlierOffset = middle;
      }
      return onLaterOffset;
    },
  };
}

function startOfWallClockDay(wallClock: number): number {
  return Math.floor(wallClock / MS_PER_DAY) * MS_PER_DAY;
}

/** Sorted, with overlapping and touching ranges joined. */
function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((first, second) => first.startsAt - second.startsAt);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, range.endsAt);
    else merged.push({ ...range });
  }
  return merged;
}

/** Both inputs merged (sorted, disjoint); so is the result. */
function intersect(first: TimeRange[], second: TimeRange[]): TimeRange[] {
  const result: TimeRange[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) {
    const a = first[i]!;
    const b = second[j]!;
    const startsAt = Math.max(a.startsAt, b.startsAt);
    const endsAt = Math.min(a.endsAt, b.endsAt);
    if (startsAt < endsAt) result.push({ startsAt, endsAt });
    if (a.endsAt < b.endsAt) i++;
    else j++;
  }
  return result;
}

/** Both inputs merged (sorted, disjoint); so is the result. */
function subtract(from: TimeRange[], removed: TimeRange[]): TimeRange[] {
  const result: TimeRange[] = [];
  let firstRelevant = 0;
  for (const range of from) {
    while (firstRelevant < removed.length && removed[firstRelevant]!.endsAt <= range.startsAt) firstRelevant++;
    let remainderStart = range.startsAt;
    for (let k = firstRelevant; k < removed.length && removed[k]!.startsAt < range.endsAt; k++) {
      const hole = removed[k]!;
      if (hole.startsAt > remainderStart) result.push({ startsAt: remainderStart, endsAt: hole.startsAt });
      remainderStart = Math.max(remainderStart, hole.endsAt);
    }
    if (remainderStart < range.endsAt) result.push({ startsAt: remainderStart, endsAt: range.endsAt });
  }
  return result;
}
