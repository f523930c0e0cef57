/** A line or two under a chart, in words: what a learner should take from it. */
import { clientStory, maxServedAtOnce, ticks, waitOf } from './query';
import type { Timeline } from './types';

export function summarize(timeline: Timeline): string {
  const waits = timeline.clients.map((client) => {
    const wait = waitOf(timeline, client);
    const { errorCode } = clientStory(timeline, client);
    if (wait === undefined) return `${client} ${errorCode ? `failed (${errorCode})` : 'never answered'}`;
    return `${client} ${ticks(timeline, wait).toFixed(1)}`;
  });
  return [
    `served at the same time: at most ${maxServedAtOnce(timeline)}`,
    `wait for the first echo, in ticks: ${waits.join(', ')}`,
  ].join('\n');
}
