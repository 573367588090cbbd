/**
 * Pure logic behind the team's reports: order statistics for waiting times, the acceptance rate,
 * report periods and the mean rating, demand and free capacity per topic, and the geometry of the
 * server-rendered bar chart.
 */
import { calendarToday } from "~/domain/requests";

export const MS_PER_DAY = 86_400_000;

/**
 * The p-th percentile (0–100) by linear interpolation between the closest ranks (Hyndman & Fan's
 * type 7, what R, NumPy and spreadsheets' PERCENTILE.INC compute): the median of 1, 2, 3, 4 is 2.5 and
 * its 90th percentile 3.7. Null when there are no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`A percentile lies between 0 and 100, got ${p}`);
  if (values.some((value) => !Number.isFinite(value))) throw new RangeError("Percentiles need finite values");
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

export function median(values: readonly number[]) {
  return percentile(values, 50);
}

/** Days from one instant to a later one, as a fraction; never negative (a clock set back counts as 0). */
export function daysBetween(fromMs: number, toMs: number) {
  return Math.max(0, toMs - fromMs) / MS_PER_DAY;
}

export type DurationSummary = { count: number; medianDays: number; p90Days: number };

/** Median and 90th percentile of waiting times in days, with how many they rest on; null without any. */
export function summariseDurations(days: readonly number[]): DurationSummary | null {
  const medianDays = median(days);
  const p90Days = percentile(days, 90);
  if (medianDays === null || p90Days === null) return null;
  return { count: days.length, medianDays, p90Days };
}

export type AcceptanceCounts = { accepted: number; declined: number; expired: number };

/** Accepted among the proposals a coach answered or let expire, as a fraction 0–1; null when there are none. */
export function acceptanceRate({ accepted, declined, expired }: AcceptanceCounts): number | null {
  const answered = accepted + declined + expired;
  return answered === 0 ? null : accepted / answered;
}

/** Periods the session figures can cover, ending now: the last 30, 90 or 365 days, or all time. */
export const reportPeriods = ["30", "90", "365", "all"] as const;
export type ReportPeriod = (typeof reportPeriods)[number];

/** The first instant (ms) of `period` ending at `nowMs`; null for all time. */
export function periodStart(period: ReportPeriod, nowMs: number): number | null {
  return period === "all" ? null : nowMs - Number(period) * MS_PER_DAY;
}

/** The mean of ratings with how many it rests on; null without any, so the page shows "–" rather than 0. */
export function averageRating(ratings: readonly number[]): { count: number; mean: number } | null {
  if (ratings.length === 0) return null;
  return { count: ratings.length, mean: ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length };
}

export type ReportTopic = { id: string; labelDe: string; labelEn: string; retired: boolean };
export type DemandRequest = { mainTopicId: string };
export type SupplyCoach = {
  timeZone: string;
  /** Inclusive calendar date (YYYY-MM-DD) in the coach's zone, or null. */
  pausedUntil: string | null;
  capacityPerMonth: number;
  /** Matches started this month that await the coach's answer or were accepted. */
  matchesThisMonth: number;
  topics: readonly { topicId: string }[];
};
export type DemandSupplyRow = ReportTopic & { demand: number; supply: number };

/**
 * Open requests per main topic against free coach places per topic. A coach's free places are
 * max(0, capacity − this month's matches); a coach paused today (on their own calendar) has none,
 * and a coach offering several topics counts for each. Active topics always appear, retired ones
 * only while they still have requests or places. Most requests first, then most places, then by label.
 */
export function demandAndSupply(
  topics: readonly ReportTopic[],
  requests: readonly DemandRequest[],
  coaches: readonly SupplyCoach[],
  referenceDate: Date,
): DemandSupplyRow[] {
  const demand = new Map<string, number>();
  for (const { mainTopicId } of requests) {
    if (mainTopicId) demand.set(mainTopicId, (demand.get(mainTopicId) ?? 0) + 1);
  }
  const supply = new Map<string, number>();
  const todayByZone = new Map<string, string>();
  for (const coach of coaches) {
    let today = todayByZone.get(coach.timeZone);
    if (today === undefined) todayByZone.set(coach.timeZone, (today = calendarToday(coach.timeZone, referenceDate)));
    if (coach.pausedUntil !== null && coach.pausedUntil >= today) continue;
    const free = Math.max(0, coach.capacityPerMonth - coach.matchesThisMonth);
    for (const { topicId } of coach.topics) supply.set(topicId, (supply.get(topicId) ?? 0) + free);
  }
  return topics
    .map((topic) => ({ ...topic, demand: demand.get(topic.id) ?? 0, supply: supply.get(topic.id) ?? 0 }))
    .filter((row) => !row.retired || row.demand > 0 || row.supply > 0)
    .sort((a, b) => b.demand - a.demand || b.supply - a.supply || a.labelDe.localeCompare(b.labelDe, "de"));
}

/** Topics with more open requests than free places, the largest gap first. */
export function shortages<T extends { demand: number; supply: number }>(rows: readonly T[]): T[] {
  return rows.filter((row) => row.demand > row.supply).sort((a, b) => b.demand - b.supply - (a.demand - a.supply));
}

/** Breaks a label into lines of at most `maxChars` characters at spaces (a longer word gets a line of its own). */
export function wrapLabel(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of label.trim().split(/\s+/)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export const barChartGeometry = {
  top: 8,
  labelLine: 22,
  labelGap: 6,
  bar: 22,
  barGap: 4,
  groupGap: 20,
  /** The longest bar takes this share of the width, leaving room for its value label. */
  maxBarPercent: 62,
} as const;

export type BarGroupLayout = {
  /** Baselines of the label's lines. */
  labelBaselines: number[];
  bars: { y: number; height: number; widthPercent: number }[];
};

/**
 * Grouped horizontal bars in a chart that scales its width but not its text: each group is a label
 * (one or more lines) above one bar per series. Widths are percentages of the chart's width so the SVG
 * needs no viewBox scaling; the largest value gets `maxBarPercent`. All zero draws no bars.
 */
export function layoutGroupedBars(groups: readonly { labelLines: number; values: readonly number[] }[]) {
  const g = barChartGeometry;
  const maxValue = Math.max(0, ...groups.flatMap((group) => group.values));
  let y = g.top;
  const laidOut: BarGroupLayout[] = groups.map((group) => {
    const labelBaselines = Array.from({ length: group.labelLines }, (_, line) => y + (line + 1) * g.labelLine - 6);
    y += group.labelLines * g.labelLine + g.labelGap;
    const bars = group.values.map((value) => {
      const bar = { y, height: g.bar, widthPercent: maxValue === 0 ? 0 : (value / maxValue) * g.maxBarPercent };
      y += g.bar + g.barGap;
      return bar;
    });
    y += g.groupGap - g.barGap;
    return { labelBaselines, bars };
  });
  return { height: Math.max(y - g.groupGap + g.top, g.top * 2), groups: laidOut };
}
