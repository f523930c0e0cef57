/**
 * A server that died while clients talked to it, in words its author can act on: how it ended,
 * what the clients had just done, and the line of its stderr that names the error. Pure: the
 * timeline and the crash in, one sentence out.
 */
import type { ClientEvent, Timeline } from './timeline/types';

/** How a server that nobody stopped ended. */
export interface ServerCrash {
  /** e.g. `exited with status 1` */
  how: string;
  /** when it was seen to end: ms on the timeline's clock */
  at: number;
  /** the line of its stderr that names the error, if it printed one */
  errorLine?: string;
}

/** What a client's connection meets when its server dies: signs of the crash, not its cause. */
const SIGNS_OF_DEATH = ['ECONNRESET', 'EPIPE', 'EOF', 'ECONNREFUSED'];
/** What clients do that a server may die of. */
const DOINGS: ClientEvent['kind'][] = ['connected', 'send', 'closed'];

/**
 * E.g. "the server exited with status 1 when client Z, which does not read its echoes, hung up:
 * ConnectionResetError: [Errno 104] Connection reset by peer". The server was alive at the
 * last echo a client got, so it died of something the clients did after that and before it
 * was seen to end (or a client met the first sign of it): of those doings, the last by a client
 * that does not read its echoes, which is what servers die of most, else the last of all.
 */
export function crashReason(timeline: Timeline, crash: ServerCrash): string {
  const clientEvents = timeline.events.filter((e): e is ClientEvent => e.source === 'client');
  const firstSign = clientEvents.find((e) => e.kind === 'error' && SIGNS_OF_DEATH.includes(e.code ?? ''));
  const before = Math.min(crash.at, firstSign?.t ?? Infinity);
  const seen = clientEvents.filter((e) => e.t <= before);
  const lastEcho = seen.findLast((e) => e.kind === 'echo');
  const since = seen.filter((e) => DOINGS.includes(e.kind) && (lastEcho === undefined || e.t > lastEcho.t));
  const nonReaders = new Set(clientEvents.filter((e) => e.kind === 'connecting' && e.readsEchoes === false).map((e) => e.client));
  const doing = since.findLast((e) => nonReaders.has(e.client)) ?? since.at(-1);
  let when = 'before any client had connected';
  if (doing) when = whatClientDid(doing, nonReaders.has(doing.client));
  else if (lastEcho) when = `after client ${lastEcho.client} got the echo of ${quoted(lastEcho.message)}`;
  return `the server ${crash.how} ${when}${crash.errorLine ? `: ${crash.errorLine}` : ''}`;
}

function whatClientDid(event: ClientEvent, nonReader: boolean): string {
  const who = `client ${event.client}${nonReader ? ', which does not read its echoes,' : ''}`;
  switch (event.kind) {
    case 'connected':
      return `when ${who} connected`;
    case 'send':
      return nonReader ? `while ${who} was sending ${quoted(event.message)}` : `when ${who} sent ${quoted(event.message)}`;
    default:
      return `when ${who} hung up`;
  }
}

/** A text message in quotes; a description such as `<binary 32 MiB>` as it is. */
const quoted = (message = '') => (/^<.*>$/.test(message) ? message : JSON.stringify(message));
