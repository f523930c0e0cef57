/**
 * The probes `echolab classify` runs against an unknown server, one after the other, each
 * with clients of its own on the session's timeline. Black-box: they look only at what the
 * clients see, so the server may print nothing at all.
 *
 * A probe waits for what it expects (an echo, a freed place) and moves on the moment it
 * happens. Only the absence of an echo takes time to see: it is declared after a quiet spell
 * of QUIET_TICKS in which nothing was served.
 */
import { firstComeFirstServed, type Observations } from './classify';
import type { RecordClientEvent } from './clients';
import { EcholabError } from './errors';
import { echoEachExactly, type PayloadSpec } from './integrity';
import { ProbeClient } from './probe-client';
import type { Session } from './session';
import { arrivalOrder, maxServedAtOnce, mergeTimeline, servedOrder } from './timeline/query';
import type { ClientEvent } from './timeline/types';
import { Deadline } from './wait';

/** How many clients come at once to count how many are served at once: a pool of 8 or more looks like a thread per client. */
export const BOUND = 8;
const QUIET_TICKS = 3;
/** More than the socket buffers of both ends hold, so a server that echoes to a client that does not read must stop. */
const FLOOD_BYTES = 16 * 1024 ** 2;
const PAYLOAD: PayloadSpec = { label: '512 KiB', size: 512 * 1024, pieces: [4096, 7, 1] };
/** Far longer than any probe takes against a server that answers at all. */
const PROBE_DEADLINE_MS = 20_000;

type Address = { host: string; port: number };

/** Runs every probe against the session's server and gathers what they saw. */
export async function observe(session: Session): Promise<Observations> {
  const quietMs = QUIET_TICKS * session.tickMs;
  const names = Array.from({ length: BOUND }, (_, i) => String.fromCharCode(65 + i));
  const crowd = await session.talk(names, (address, record) => probeCrowd(address, names, record, quietMs, session.tickMs));
  const slowClientBlocks = await session.talk(['idle', 'next'], (address, record) =>
    probeHeldUp(address, ['idle', 'next'], record, quietMs, {
      reads: true,
      hold: async (idle, signal) => {
        idle.send('hello'); // then it sits there, connected, saying nothing more
        await idle.untilSettled(signal);
      },
    }),
  );
  const nonReaderStalls = await session.talk(['no-read', 'other'], (address, record) =>
    probeHeldUp(address, ['no-read', 'other'], record, quietMs, { reads: false, hold: (flood) => flood.floodUntilRefused(FLOOD_BYTES, quietMs) }),
  );
  const echoProblem = await session.talk([PAYLOAD.label], (address, record) => echoEachExactly(address, [PAYLOAD], record));
  return { bound: BOUND, ...crowd, slowClientBlocks, nonReaderStalls, echoProblem };
}

/**
 * BOUND clients connect one after another and each sends a message. Once no more are being
 * served, the one served first leaves, making room for one more, and so on until all have
 * been served: how many were served at once, and the order the others got in, show.
 */
async function probeCrowd(address: Address, names: string[], record: RecordClientEvent, quietMs: number, tickMs: number) {
  const events: ClientEvent[] = [];
  const tee: RecordClientEvent = (event) => {
    events.push(event);
    record(event);
  };
  const clients = await withClients(names, tee, 'serve a crowd', {}, async (crowd, signal) => {
    for (const client of crowd) await client.connect(address.host, address.port);
    for (const client of crowd) client.send(`hello from ${client.name}`);
    await untilSettled(crowd, crowd.length, quietMs, signal);
    for (let settled = countSettled(crowd); settled < crowd.length; settled = countSettled(crowd)) {
      const first = crowd.filter((client) => client.served && client.open).sort((a, b) => a.servedAt! - b.servedAt!)[0];
      if (!first) break; // nobody left whose leaving could make room
      await first.close();
      await untilSettled(crowd, settled + 1, quietMs, signal);
    }
    return crowd;
  });
  const timeline = mergeTimeline({ origin: events[0].t, tickMs, clients: names, clientEvents: events });
  const served = servedOrder(timeline);
  const servedAtOnce = maxServedAtOnce(timeline);
  return {
    servedAtOnce,
    unserved: clients.filter((client) => !client.served).map((client) => client.name),
    waitersInArrivalOrder: firstComeFirstServed(arrivalOrder(timeline), served, servedAtOnce),
  };
}

interface Holder {
  /** whether the holding client reads its echoes */
  reads: boolean;
  /** what it does to hold the server, resolving once it does */
  hold: (holder: ProbeClient, signal: AbortSignal) => Promise<void>;
}

/**
 * One client holds the server in some way; then another one comes and sends a message. If it
 * is not served while the first stays, it was held up: true. The first then leaves, and the
 * other must be served.
 */
function probeHeldUp(address: Address, names: [string, string], record: RecordClientEvent, quietMs: number, { reads, hold }: Holder): Promise<boolean> {
  return withClients(names, record, `see whether ${names[0]} holds up ${names[1]}`, { [names[0]]: reads }, async ([holder, next], signal) => {
    await holder.connect(address.host, address.port);
    await hold(holder, signal);
    await next.connect(address.host, address.port);
    next.send('ping');
    await untilSettled([next], 1, quietMs, signal);
    const heldUp = !next.served;
    await holder.close();
    await untilSettled([next], 1, quietMs, signal);
    return heldUp;
  });
}

/** Runs `probe` with a client per name (`readsEchoes[name]` false for one that does not read), under one deadline; every client is closed afterwards. */
async function withClients<T>(
  names: string[],
  record: RecordClientEvent,
  what: string,
  readsEchoes: Record<string, boolean>,
  probe: (clients: ProbeClient[], signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(PROBE_DEADLINE_MS);
  const clients = names.map((name) => new ProbeClient(name, record, deadline.signal, readsEchoes[name] ?? true));
  try {
    return await probe(clients, deadline.signal);
  } catch (error) {
    if (!deadline.timedOut) throw error;
    throw new EcholabError('ECHOLAB_TIMEOUT', `the server did not let the clients ${what} within ${PROBE_DEADLINE_MS} ms`);
  } finally {
    deadline.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

const countSettled = (clients: ProbeClient[]) => clients.filter((client) => client.settled).length;

/** Resolves once `count` of the clients have settled, or once `quietMs` pass without one settling. */
async function untilSettled(clients: ProbeClient[], count: number, quietMs: number, signal: AbortSignal): Promise<void> {
  while (countSettled(clients) < count) {
    const quiet = new Deadline(quietMs, signal);
    try {
      await Promise.race(clients.filter((client) => !client.settled).map((client) => client.untilSettled(quiet.signal)));
    } catch (error) {
      if (quiet.timedOut) return;
      throw error;
    } finally {
      quiet.abort(undefined); // release the other clients' waits
    }
  }
}
