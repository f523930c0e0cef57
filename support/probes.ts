/**
 * The probes `echolab classify` runs against an unknown server, one after the other, each
 * with clients of its own on the session's timeline. Black-box: they look only at what the
 * clients see, so the server may print nothing at all.
 *
 * A probe waits for what it expects (an echo, a freed place) and moves on the moment it
 * happens. Only the absence of something takes time to see: it is declared after a quiet
 * spell of QUIET_TICKS in which it did not happen. No probe keeps more than a few clients
 * waiting to be accepted, and none waits for a connection that does not complete, so a small
 * listen backlog cannot stall them.
 *
 * After each probe a fresh client checks that the server still answers. A server that died
 * under a probe's clients is evidence too: what the probe had seen stands, and the probes
 * after it get a fresh instance.
 *
 * Who is served and whether the echo is right are two questions. A client is served once
 * bytes come back to it at all; what came back to each client is judged apart, once its probe
 * is over (support/echo-problem.ts), against what every client of the probe sent. The clients
 * of a probe the server died under are not judged on their echoes: the crash ended them.
 *
 * Where the clients leave two models that they cannot tell apart (a thread per client and
 * async), one more probe looks at the server's threads from this machine (support/cost/), if it
 * runs here: idle connections are opened in COST_STEPS, and /proc says whether each one added a
 * thread or a process.
 */
import { EcholabError } from '../core/errors';
import { PROBES, firstComeFirstServed, type CostSeen, type Crash, type Observations, type ProbeName } from './classify';
import { clientNames } from './clients';
import type { RecordClientEvent } from './connection';
import { measureCost } from './cost/probe';
import { echoProblem } from './echo-problem';
import { echoEachExactly, type PayloadSpec } from './integrity';
import { ProbeClient } from './probe-client';
import { isRunningServer, type ServerUnderCheck, type Session } from './session';
import { maxOverlap } from './timeline/query';
import { Deadline, now } from './wait';

/** The most clients that come to be served at once: a pool of this many or more looks like a thread per client. */
export const BOUND = 8;
/** Clients kept waiting to see the order they are served in: enough to catch a pool that takes the newest first, few enough for any listen backlog. */
const WAITERS = 3;
const QUIET_TICKS = 3;
/**
 * Once a client that was served leaves, how long the next one may wait to be served: a server
 * that serves it does so at once on an idle machine, but a busy one once took more than 3 ticks
 * to get to a Python server's next accept; one that never serves it costs a second here.
 */
const MAKING_ROOM_TICKS = 10;
/**
 * How long a connection may take to complete before it counts as one the listen backlog had no
 * room for: the kernel dropped its SYN, and would send it again only after a second.
 */
const CONNECT_PATIENCE_MS = 500;
/** More than the socket buffers of both ends hold, so a server that echoes to a client that does not read must stop. */
const FLOOD_BYTES = 16 * 1024 ** 2;
/**
 * As in the integrity specs: one cut into pieces of odd sizes, and large ones sent fast, which
 * fill a relay's buffers where a payload that trickles in would not.
 */
const PAYLOADS: PayloadSpec[] = [
  { label: '64 KiB + 1 B', size: 64 * 1024 + 1, pieces: [1, 7, 4096] },
  { label: '1 MiB', size: 1024 ** 2, pieces: [65536, 3] },
  { label: '3 MiB', size: 3 * 1024 ** 2 },
];
/** Far longer than any probe takes against a server that answers at all. */
const PROBE_DEADLINE_MS = 20_000;
/**
 * The idle connections at which the cost probe reads the server's threads. Five at a time: a step
 * is read once the server has gone quiet, having accepted the connections before it, so that a
 * listen backlog of 5 (socat's, Python's socketserver's) holds all those of the next; ten at once
 * overflow it, and each connection the kernel drops then waits a second to try again. Twenty in
 * all: past what echolab's own thread-per-client keeps started ahead before it starts more (see
 * OWN_THREAD_ABOVE), and few enough to take about a second.
 */
export const COST_STEPS: readonly number[] = [0, 5, 10, 15, 20];

/** What a probe works with. */
interface Probing {
  address: { host: string; port: number };
  /** where its clients' events go: the session's timeline */
  record: RecordClientEvent;
  /** how long nothing happening means that it will not */
  quietMs: number;
  /** how long a client may wait to be served once one that was served has left */
  makingRoomMs: number;
  /** every client it made: what came back to each is judged once the probe is over */
  clients: ProbeClient[];
  /** what was wrong with the echoes it judged itself */
  wrongEchoes: string[];
}

/**
 * Runs every probe against the session's server and gathers what they saw. `restart` starts a
 * fresh instance of the server, for the probes after one it died under.
 */
export async function observe(session: Session, restart: (why: string) => Promise<void>): Promise<Observations> {
  const quietMs = QUIET_TICKS * session.tickMs;
  let crash: Crash | undefined;
  const wrongEchoes: string[] = [];
  /**
   * Runs one probe, then checks that the server still answers, and judges what came back to its
   * clients; a crash is noted, and what the probe saw is kept.
   */
  const run = async <T>(probe: ProbeName, look: (probing: Probing) => Promise<T>): Promise<T> => {
    let seen = undefined as { value: T } | undefined; // set in the callback, and read after it threw
    const probing: Omit<Probing, 'address' | 'record'> = { quietMs, makingRoomMs: MAKING_ROOM_TICKS * session.tickMs, clients: [], wrongEchoes: [] };
    try {
      const value = await session.talk([], async (address, record) => {
        seen = { value: await look({ ...probing, address, record }) };
        await stillAnswers({ ...probing, address, record }, `check ${PROBES.indexOf(probe) + 1}`);
        return seen.value;
      });
      wrongEchoes.push(...probing.wrongEchoes, ...wrongEchoesOf(probing.clients));
      return value;
    } catch (error) {
      if (!seen || !(error instanceof EcholabError && error.code === 'ECHOLAB_SERVER_CRASHED')) throw error;
      crash ??= { probe, how: error.message };
      if (probe !== PROBES.at(-1)) await restart(error.message);
      return seen.value;
    }
  };
  const crowd = await run('crowd', probeCrowd);
  const slowClientBlocks = await run('idle client', (probing) =>
    probeHeldUp(probing, ['idle', 'next'], {
      reads: true,
      hold: async (idle, signal) => {
        idle.send('hello'); // then it sits there, connected, saying nothing more
        await untilSettled([idle], 1, quietMs, signal);
      },
    }),
  );
  await run('integrity', async ({ address, record, wrongEchoes: found }) => {
    const problem = await echoEachExactly(address, PAYLOADS, record);
    if (problem) found.push(problem);
  });
  const nonReaderStalls = await run('client that does not read', (probing) =>
    probeHeldUp(probing, ['no-read', 'other'], { reads: false, hold: (flood) => flood.floodUntilRefused(FLOOD_BYTES, quietMs) }),
  );
  return { bound: BOUND, ...crowd, slowClientBlocks, nonReaderStalls, largestPayload: PAYLOADS.at(-1)!.label, echoProblem: wrongEchoes[0], crash };
}

/**
 * What the server's threads cost per idle connection, as this machine sees them, or why they
 * cannot be seen: the server is elsewhere, no process here that we may look into holds its
 * socket, or the cost probe could not hold its connections. A command is measured on a fresh
 * instance, once the probes' one is stopped (it may always listen on one port): threads the
 * probes left it, kept for the next clients, would hide what a connection costs. A server already
 * running is measured where it listens, unless it died under the last probe.
 */
export async function observeCost(session: Session, server: ServerUnderCheck & { startupTimeoutMs: number }, { crash }: Observations): Promise<CostSeen> {
  if (isRunningServer(server) && crash) return { seen: false, why: 'the cost cannot be seen: the server died under the last probe, and nothing here can start it again' };
  await session.close();
  try {
    return await measureCost(server, COST_STEPS);
  } catch (error) {
    if (!(error instanceof EcholabError)) throw error;
    return { seen: false, why: `the cost could not be measured: ${error.message}` };
  }
}

/**
 * What was wrong with what came back to each client that reads and was answered, as judged
 * against what all of them sent; a client never answered is a question of who is served.
 */
function wrongEchoesOf(clients: ProbeClient[]): string[] {
  const transcripts = clients.map((client) => client.transcript());
  return clients.flatMap((client, i) => (client.readsEchoes && client.served ? (echoProblem(transcripts[i], transcripts) ?? []) : []));
}

/**
 * Clients come one after another, each sending a message as soon as it has connected, while
 * each new one is served; then until WAITERS of them wait. Once no more are being served, the
 * one served first leaves, making room for one more, and so on until all have been served:
 * how many were served at once, and the order the others got in, show. A client counts as
 * being served from the moment bytes first come back to it until it leaves: a server that
 * closes its connection first has let it go, which is a fault of its echo, judged apart.
 */
async function probeCrowd(probing: Probing): Promise<Pick<Observations, 'servedAtOnce' | 'unserved' | 'waitersInArrivalOrder' | 'backlogFull'>> {
  const { address, quietMs } = probing;
  const crowd: ProbeClient[] = [];
  let backlogFull: Observations['backlogFull'];
  await withClients(probing, 'how many clients it serves at once', async (newClient, signal) => {
    const waiting = () => crowd.filter((client) => !client.settled).length;
    const beingServed = () => crowd.filter((client) => client.served && !client.left).length;
    for (const name of clientNames(BOUND + WAITERS)) {
      if (waiting() >= WAITERS || beingServed() >= BOUND) break;
      const client = newClient(name);
      const settled = countSettled(crowd);
      if (!(await client.connect(address.host, address.port, { withinMs: Math.max(quietMs, CONNECT_PATIENCE_MS) })) && !client.failed) {
        backlogFull = { client: name, waiting: waiting() };
        break;
      }
      crowd.push(client);
      client.send(`hello from ${name}`);
      await untilSettled(crowd, settled + 1, quietMs, signal);
    }
    for (let settled = countSettled(crowd); settled < crowd.length; settled = countSettled(crowd)) {
      const first = crowd.filter((client) => client.served && !client.left).sort((a, b) => a.servedAt! - b.servedAt!)[0];
      if (!first) break; // nobody left whose leaving could make room
      await first.close();
      await untilSettled(crowd, settled + 1, probing.makingRoomMs, signal);
    }
  });
  // read once every client has left, so that each one's time being served has an end
  const served = crowd.filter((client) => client.served).sort((a, b) => a.servedAt! - b.servedAt!);
  const servedAtOnce = maxOverlap(served.map((client) => ({ start: client.servedAt!, end: client.leftAt! })));
  return {
    servedAtOnce,
    unserved: crowd.filter((client) => !client.served).map((client) => client.name),
    // they connected one after another, in the order of the crowd
    waitersInArrivalOrder: firstComeFirstServed(crowd.map((client) => client.name), served.map((client) => client.name), servedAtOnce),
    backlogFull,
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
function probeHeldUp(probing: Probing, names: [string, string], { reads, hold }: Holder): Promise<boolean> {
  const { address, quietMs } = probing;
  return withClients(probing, `whether ${names[0]} holds up ${names[1]}`, async (newClient, signal) => {
    const holder = newClient(names[0], reads);
    const next = newClient(names[1]);
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

/** A fresh client connects and sends a message: if the server died meanwhile, its connection fails, and the session sees the crash. */
function stillAnswers(probing: Probing, name: string): Promise<void> {
  const { address, quietMs } = probing;
  return withClients(probing, 'whether it still answers', async (newClient, signal) => {
    const check = newClient(name);
    if (!(await check.connect(address.host, address.port, { withinMs: Math.max(quietMs, CONNECT_PATIENCE_MS) }))) return;
    check.send('still there?');
    await untilSettled([check], 1, quietMs, signal);
  });
}

type NewClient = (name: string, readsEchoes?: boolean) => ProbeClient;

/** Runs `probe`, which makes its clients with `newClient`, under one deadline; every client is closed afterwards. */
async function withClients<T>(probing: Probing, what: string, probe: (newClient: NewClient, signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new Deadline(PROBE_DEADLINE_MS);
  const clients: ProbeClient[] = [];
  const newClient: NewClient = (name, readsEchoes = true) => {
    const client = new ProbeClient(name, probing.record, deadline.signal, readsEchoes);
    clients.push(client);
    probing.clients.push(client);
    return client;
  };
  try {
    return await probe(newClient, deadline.signal);
  } catch (error) {
    if (!deadline.timedOut) throw error;
    const at = now();
    const waits = clients.flatMap((client) => client.describeWait(at) ?? []);
    const seen = waits.length > 0 ? waits.join('; ') : 'its clients were still waiting';
    throw new EcholabError('ECHOLAB_TIMEOUT', `gave up after ${PROBE_DEADLINE_MS / 1000} s probing ${what}: ${seen}`);
  } finally {
    deadline.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

const countSettled = (clients: ProbeClient[]) => clients.filter((client) => client.settled).length;

/** Resolves once `count` of the clients have settled (or all of them), or once `quietMs` pass without one settling. */
async function untilSettled(clients: ProbeClient[], count: number, quietMs: number, signal: AbortSignal): Promise<void> {
  for (let unsettled = clients.filter((client) => !client.settled); unsettled.length > 0 && countSettled(clients) < count; unsettled = clients.filter((client) => !client.settled)) {
    const quiet = new Deadline(quietMs, signal);
    try {
      await Promise.race(unsettled.map((client) => client.untilSettled(quiet.signal)));
    } catch (error) {
      if (quiet.timedOut) return;
      throw error;
    } finally {
      quiet.abort(undefined); // release the other clients' waits
    }
  }
}
