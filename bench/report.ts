/**
 * From measurements to the printed report: medians over rounds, each server's rate against
 * the load generator's ceiling, the ratios between servers within the run, and the tables.
 * Pure: no sockets, no processes.
 */
import { renderMarkdownTable } from '../support/markdown-table';
import type { LoadResult } from './loadgen';
import { formatLatency, formatPercent, formatRate, formatRatio, median, percentile, ratio } from './stats';

/** One window of load on one server, reduced to its figures. */
export interface Measurement {
  server: string;
  connections: number;
  round: number;
  /** round trips per second */
  rate: number;
  p50Us: number;
  p99Us: number;
  /** % of one core */
  serverCpu: number;
  generatorCpu: number;
  /** connections that completed a round trip in the window */
  served: number;
}

export function measurement(server: string, connections: number, round: number, result: LoadResult): Measurement {
  return {
    server,
    connections,
    round,
    rate: result.roundTrips / result.seconds,
    p50Us: percentile(result.latenciesUs, 0.5),
    p99Us: percentile(result.latenciesUs, 0.99),
    serverCpu: result.serverCpu,
    generatorCpu: result.generatorCpu,
    served: result.served,
  };
}

/** The median of every figure of one server at one connection count, over the rounds. */
export type Summary = Omit<Measurement, 'round'> & { rounds: number };

export function summarize(measurements: readonly Measurement[], server: string, connections: number): Summary | undefined {
  const runs = measurements.filter((m) => m.server === server && m.connections === connections);
  if (runs.length === 0) return undefined;
  const mid = (figure: (m: Measurement) => number) => median(runs.map(figure));
  return {
    server,
    connections,
    rounds: runs.length,
    rate: mid((m) => m.rate),
    p50Us: mid((m) => m.p50Us),
    p99Us: mid((m) => m.p99Us),
    serverCpu: mid((m) => m.serverCpu),
    generatorCpu: mid((m) => m.generatorCpu),
    served: mid((m) => m.served),
  };
}

/** A ratio of two servers' rates: the median of the ratios taken round by round, and their spread. */
export interface RoundRatio {
  median: number;
  min: number;
  max: number;
}

/**
 * `numerator`'s rate over `denominator`'s, round by round (each round measures both close
 * together in time, so load from elsewhere on the machine weighs on both alike).
 */
export function roundRatio(measurements: readonly Measurement[], numerator: string, denominator: string, connections: number): RoundRatio {
  const rateIn = (server: string, round: number) =>
    measurements.find((m) => m.server === server && m.connections === connections && m.round === round)?.rate;
  const rounds = [...new Set(measurements.map((m) => m.round))];
  const ratios = rounds
    .map((round) => ratio(rateIn(numerator, round) ?? NaN, rateIn(denominator, round) ?? NaN))
    .filter((value) => !Number.isNaN(value));
  return ratios.length === 0 ? { median: NaN, min: NaN, max: NaN } : { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export interface ReportServer {
  key: string;
  label: string;
}

export interface Comparison {
  numerator: string;
  denominator: string;
  /** the least ratio wanted, at every connection count */
  target: number;
}

export interface ReportInput {
  servers: readonly ReportServer[];
  connectionCounts: readonly number[];
  measurements: readonly Measurement[];
  /** the plain Node echo: what the load generator can drive is measured against it */
  ceiling: string;
  comparisons: readonly Comparison[];
}

/** The table of medians: a row per connection count and server, each rate also over the plain Node echo's (round by round, as the ratios). */
export function resultsTable({ servers, connectionCounts, measurements, ceiling }: ReportInput): string {
  const rows = connectionCounts.flatMap((connections) =>
    servers.flatMap(({ key, label }) => {
      const s = summarize(measurements, key, connections);
      if (!s) return [];
      return [[
        label,
        String(connections),
        formatRate(s.rate),
        key === ceiling ? '(itself)' : formatRatio(roundRatio(measurements, key, ceiling, connections).median),
        formatLatency(s.p50Us),
        formatLatency(s.p99Us),
        formatPercent(s.serverCpu),
        formatPercent(s.generatorCpu),
        `${Math.round(s.served)} of ${connections}`,
      ]];
    }),
  );
  return renderMarkdownTable(
    ['server', 'connections', 'round trips/s', '÷ Node echo', 'p50', 'p99', 'server CPU', 'generator CPU', 'served'],
    rows,
  );
}

/** The ratios within the run, at every connection count, and whether each meets its target. */
export function ratiosTable({ servers, connectionCounts, measurements, comparisons }: ReportInput): string {
  const label = (key: string) => servers.find((server) => server.key === key)?.label ?? key;
  const shown = ({ median: mid, min, max }: RoundRatio) => `${formatRatio(mid)} (${formatRatio(min)}–${formatRatio(max)})`;
  const rows = comparisons.map(({ numerator, denominator, target }) => {
    const ratios = connectionCounts.map((connections) => roundRatio(measurements, numerator, denominator, connections));
    const missedAt = connectionCounts.filter((_, i) => !(ratios[i].median >= target));
    return [
      `${label(numerator)} ÷ ${label(denominator)}`,
      ...ratios.map(shown),
      `≥ ${formatRatio(target)}: ${missedAt.length === 0 ? 'met' : `missed at ${missedAt.join(' and ')}`}`,
    ];
  });
  return renderMarkdownTable(['rate ratio, median of rounds (range)', ...connectionCounts.map((c) => `${c} connections`), 'target'], rows);
}

/**
 * What says the load generator was not the limit, a line per connection count: the rate it
 * drove the plain Node echo at, the fastest server it drove (its ceiling is at least that),
 * and the CPU it used meanwhile, against all that its threads could use.
 */
export function generatorLines({ servers, connectionCounts, measurements, ceiling }: ReportInput, threads: number): string[] {
  return connectionCounts.map((connections) => {
    const echo = summarize(measurements, ceiling, connections);
    const [fastest] = servers
      .map(({ key, label }) => ({ label, summary: summarize(measurements, key, connections) }))
      .filter((server): server is { label: string; summary: Summary } => server.summary !== undefined)
      .sort((a, b) => b.summary.rate - a.summary.rate);
    if (!echo || !fastest) return `At ${connections} connections: no figures.`;
    return (
      `At ${connections} connections the load generator drove the plain Node echo at ${formatRate(echo.rate)} round trips/s, ` +
      `using ${formatPercent(echo.generatorCpu)} of a core (its ${threads} thread${threads === 1 ? '' : 's'} could use ${formatPercent(100 * threads)}); ` +
      `the fastest server it drove was ${fastest.label}, at ${formatRate(fastest.summary.rate)}, using ${formatPercent(fastest.summary.generatorCpu)}.`
    );
  });
}
