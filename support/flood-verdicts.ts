/**
 * What a newcomer got during a flood of idle connections (support/flood.ts), as checks on the
 * timeline: each returns undefined when it holds, or a sentence saying what happened instead.
 * Pure. The flood has left once the first idle client closed its connection.
 */
import { clientStory, ticksSinceOrigin } from './timeline/query';
import type { Timeline } from './timeline/types';
import type { Verdict } from './verdicts';

const at = (timeline: Timeline, t: number) => `tick ${ticksSinceOrigin(timeline, t).toFixed(2)}`;

/** When the first idle client left: the end of the flood. */
function floodLeftAt(timeline: Timeline, flooders: readonly string[]): number {
  const left = flooders.map((name) => clientStory(timeline, name).closedAt).filter((t): t is number => t !== undefined);
  if (left.length === 0) throw new Error('the idle clients never left');
  return Math.min(...left);
}

export function notServedWhileFloodStays(timeline: Timeline, client: string, flooders: readonly string[]): Verdict {
  const { firstEcho } = clientStory(timeline, client);
  const left = floodLeftAt(timeline, flooders);
  if (firstEcho === undefined || firstEcho >= left) return undefined;
  return `${client} was served at ${at(timeline, firstEcho)}, while the idle clients were still connected (they left at ${at(timeline, left)})`;
}

export function servedWhileFloodStays(timeline: Timeline, client: string, flooders: readonly string[]): Verdict {
  const { firstEcho } = clientStory(timeline, client);
  const left = floodLeftAt(timeline, flooders);
  if (firstEcho !== undefined && firstEcho < left) return undefined;
  return firstEcho === undefined
    ? `${client} was never served`
    : `${client} was served only at ${at(timeline, firstEcho)}, once the idle clients had left (at ${at(timeline, left)})`;
}

export function servedOnceFloodLeaves(timeline: Timeline, client: string, flooders: readonly string[]): Verdict {
  const { firstEcho } = clientStory(timeline, client);
  const left = floodLeftAt(timeline, flooders);
  if (firstEcho !== undefined && firstEcho >= left) return undefined;
  return firstEcho === undefined
    ? `${client} was not served even after the idle clients had left (at ${at(timeline, left)})`
    : `${client} was served at ${at(timeline, firstEcho)}, before the idle clients left (at ${at(timeline, left)})`;
}

export function neverServed(timeline: Timeline, client: string): Verdict {
  const { firstEcho } = clientStory(timeline, client);
  return firstEcho === undefined ? undefined : `${client} was served at ${at(timeline, firstEcho)}`;
}

/** Every message `client` sent came back. */
export function everyMessageEchoed(timeline: Timeline, client: string): Verdict {
  const { sends, echoes } = clientStory(timeline, client);
  if (sends.length > 0 && echoes.length === sends.length) return undefined;
  return `${client} sent ${sends.length} message(s) and got ${echoes.length} echo(es) back`;
}
