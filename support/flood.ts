/**
 * A flood of idle connections, and a newcomer during it: what the article warns a thread per
 * client is open to. Client A is served first; then the idle clients (lanes a, b, c, …) connect
 * and say nothing, and once the server has done with them whatever it does, client F connects
 * and sends its message. A sends again while the flood stays; then the idle clients leave, and F
 * waits a while longer. The timeline holds what every one of them saw, for the verdicts.
 *
 * While F waits, every tick a newcomer of its own asks the server for one echo, and is answered
 * within the tick or not: the service's availability, as tools that test servers against slow
 * attacks report it, drawn as a row of its own. (Not while the flood connects: the server is
 * waited for until it goes quiet then, and a newcomer every tick would never let it.)
 */
import { askEveryTick } from './availability';
import { clientNames } from './clients';
import { untilQuiet } from './cost/probe';
import { ProbeClient } from './probe-client';
import type { Session } from './session';
import { Deadline } from './wait';

/** How long F waits for its echo while the flood stays, and again once it has left, a newcomer asking every tick meanwhile. */
const NEWCOMER_WAITS_TICKS = 3;
/** How much longer F may wait once the flood has left, if it has not been served by then. */
const F_LATE_TICKS = 5;
/** How long anything here may take on a loaded machine, besides the ticks it waits on purpose. */
const ALLOWANCE_MS = 30_000;

/** The idle clients' names: lower-case letters, one lane each, apart from the clients who talk. */
export const floodNames = (count: number) => clientNames(26 + count).slice(26);

/** The flood above, with F sending `message`. */
export async function floodWithNewcomer(session: Session, flooders: number, message: string): Promise<void> {
  const pid = session.serverPid;
  if (pid === undefined) throw new Error('no server was started in this scenario');
  const idle = floodNames(flooders);
  const deadline = new Deadline(ALLOWANCE_MS + (4 * NEWCOMER_WAITS_TICKS + F_LATE_TICKS) * session.tickMs);
  const { signal } = deadline;
  const all: ProbeClient[] = [];
  try {
    await session.talk(['A', ...idle, 'F'], async ({ host, port }, record) => {
      const client = (name: string) => {
        const made = new ProbeClient(name, record, signal);
        all.push(made);
        return made;
      };
      const a = client('A');
      await a.connect(host, port);
      a.send('Hello');
      await a.untilSettled(signal);

      const flood = idle.map(client);
      for (const each of flood) await each.connect(host, port);
      await untilQuiet(pid, flood.length + 1);

      const f = client('F');
      await f.connect(host, port);
      f.send(message);
      await askEveryTick(session, { host, port }, NEWCOMER_WAITS_TICKS, signal);
      a.send('World!');
      await a.untilSettled(signal);

      await Promise.all(flood.map((each) => each.close()));
      await askEveryTick(session, { host, port }, NEWCOMER_WAITS_TICKS, signal);
      // a server that serves F once the flood has left may be slow to get to it on a loaded machine
      const late = new Deadline(F_LATE_TICKS * session.tickMs, signal);
      await f.untilSettled(late.signal).catch(() => {}); // F may well never be served: that is for the verdicts
      late.clear();
    });
  } finally {
    deadline.clear();
    await Promise.all(all.map((each) => each.close()));
  }
}
