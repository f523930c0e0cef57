/**
 * A server on another host: every echo takes the round trip on top of what the server does,
 * and the scenarios time their clients in ticks. A round trip that is a large part of a tick
 * would fail scenarios on the link's account, so before anything is judged, a few round trips
 * are measured and, if they are too long for the tick, `check` and `classify` say so and
 * suggest a tick instead.
 */
import { EcholabError } from '../core/errors';
import { runClients } from './clients';
import type { ClientEvent } from './timeline/types';

/** How many round trips are measured, one after another on one connection. */
export const ROUND_TRIPS = 10;
/** The most of a tick a round trip may take: the bounds the scenarios hold servers to are tenths of a tick and more. */
export const MOST_OF_A_TICK = 0.1;

/**
 * The fastest of the round trips, which is what the link itself costs every one of them: the
 * rest add what a busy server or machine adds now and then (a local server beside a loaded CPU
 * answered a median 10 ms late), and that the scenarios judge. `undefined` if the tick suits
 * the link, else the one line that says why not and what tick would.
 */
export function slowLinkAdvice(roundTripsMs: number[], tickMs: number, where: string): string | undefined {
  const fastest = Math.min(...roundTripsMs);
  if (roundTripsMs.length === 0 || fastest <= tickMs * MOST_OF_A_TICK) return undefined;
  const suggested = Math.min(10_000, Math.ceil(fastest / MOST_OF_A_TICK / 100) * 100);
  return (
    `a round trip to ${where} takes ${fastest.toFixed(1)} ms, more than a tenth of a ${tickMs} ms tick: ` +
    `the scenarios would fail on the link's account, not the server's; run again with --tick-ms ${suggested} or more`
  );
}

/** The round trips of ROUND_TRIPS small messages, each sent once the one before came back, in ms. */
export async function measureRoundTrips(host: string, port: number, timeoutMs: number): Promise<number[]> {
  const events: ClientEvent[] = [];
  const messages = Array.from({ length: ROUND_TRIPS }, (_, i) => `echolab round trip ${i + 1}`);
  await runClients({ host, port, tickMs: 1, clients: [{ name: 'link', messages, pauseTicks: 0 }], record: (e) => events.push(e), timeoutMs });
  const sent = events.filter((e) => e.kind === 'send');
  return events.filter((e) => e.kind === 'echo').map((echo, i) => echo.t - sent[i].t);
}

/** Measures the link to a server that is running and rejects with ECHOLAB_SLOW_LINK if it is too slow for the tick. */
export async function assertLinkFitsTick(host: string, port: number, tickMs: number, timeoutMs: number): Promise<void> {
  const advice = slowLinkAdvice(await measureRoundTrips(host, port, timeoutMs), tickMs, `${host}:${port}`);
  if (advice) throw new EcholabError('ECHOLAB_SLOW_LINK', advice);
}
