/**
 * The arithmetic of the benchmark, apart from sockets and processes: percentiles of
 * latencies, medians across rounds, ratios within a run, CPU from /proc tick counts, and the
 * figures as they are printed.
 */

/** The nearest-rank percentile of values sorted in ascending order (`fraction` 0.5 is p50); NaN if there are none. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The middle value, or the mean of the two middle ones; NaN if there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `a / b`, NaN when `b` is 0 (nothing to compare with). */
export const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);

/** The CPU time (utime + stime, in clock ticks) of the process that `/proc/<pid>/stat` describes. */
export function cpuTicksFromStat(stat: string): number {
  // The command name (field 2) is in parentheses and may itself hold spaces or ')': count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // after the name, field 3 (state) is fields[0]: utime is field 14, stime field 15
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** The number of threads of the process that `/proc/<pid>/status` describes. */
export function threadsFromStatus(status: string): number {
  const threads = /^Threads:\s*(\d+)$/m.exec(status);
  if (!threads) throw new Error('no "Threads:" line in /proc/<pid>/status');
  return Number(threads[1]);
}

/** CPU time spent over a wall-clock span, as a percentage of one core (200 is two cores kept busy). */
export const percentOfOneCore = (cpuSeconds: number, wallSeconds: number) => (100 * cpuSeconds) / wallSeconds;

/** Round trips per second, in thousands: 48213 → "48.2 k". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return perSecond >= 100_000 ? `${Math.round(perSecond / 1000)} k` : `${(perSecond / 1000).toFixed(1)} k`;
}

/** A latency given in µs: below a millisecond in µs, above it in ms. */
export function formatLatency(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (us < 1000) return `${Math.round(us)} µs`;
  return us < 100_000 ? `${(us / 1000).toFixed(1)} ms` : `${Math.round(us / 1000)} ms`;
}

export const formatPercent = (percent: number) => (Number.isFinite(percent) ? `${Math.round(percent)} %` : '–');

export const formatRatio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
