/**
 * Whether a server is still there for newcomers while something tries to keep it busy, as tools
 * that test servers against slow attacks report it: once a tick, a newcomer connects, asks for
 * one echo and is answered in time, or not. Each answer joins the timeline's row of the
 * service. And the attack such tools mount on a server that cuts slow clients off: slow clients
 * that come straight back.
 */
import { once, setMaxListeners } from 'node:events';
import { ProbeClient } from './probe-client';
import type { RecordClientEvent } from './connection';
import type { Session } from './session';
import { Deadline, now, pause } from './wait';

interface Address {
  host: string;
  port: number;
}

/**
 * For `ticks` ticks, one newcomer a tick asks for an echo and waits up to `withinMs` (a tick
 * unless told otherwise) for it; whether it came in time is recorded. Newcomers that wait longer
 * than a tick wait side by side: one still waiting does not hold up the next one's asking.
 */
export async function askEveryTick(session: Session, address: Address, ticks: number, signal: AbortSignal, withinMs = session.tickMs): Promise<void> {
  const start = now();
  const asked: Promise<void>[] = [];
  for (let i = 0; i < ticks; i++) {
    await pause(Math.max(0, start + i * session.tickMs - now()), signal);
    asked.push(askOnce(session, address, withinMs, signal));
  }
  await Promise.all(asked);
}

async function askOnce(session: Session, { host, port }: Address, withinMs: number, signal: AbortSignal): Promise<void> {
  const t = now();
  const newcomer = new ProbeClient('newcomer', () => {}, signal);
  const within = new Deadline(withinMs, signal);
  try {
    if (await newcomer.connect(host, port, { withinMs })) {
      newcomer.send('are you there?');
      await newcomer.untilSettled(within.signal).catch(() => {}); // not answered in time: that is what is recorded
    }
    session.recordService({ t, answered: newcomer.served });
  } finally {
    within.clear();
    await newcomer.close();
  }
}

/**
 * Slow clients that connect, say nothing, and connect again as soon as the server cuts them
 * off, each in its own lane, until `stop` aborts. Resolves once every one of them has connected
 * the first time, with `gone`, which settles when they have all left.
 */
export async function comeStraightBack(names: string[], address: Address, record: RecordClientEvent, stop: AbortSignal): Promise<{ gone: Promise<void> }> {
  setMaxListeners(0, stop); // every connection of every attacker listens to it
  const marks: (() => void)[] = [];
  const firstConnects = names.map(() => new Promise<void>((resolve) => marks.push(resolve)));
  const attacks = names.map((name, i) => keepComingBack(name, address, record, stop, marks[i]));
  await Promise.race([Promise.all(firstConnects), Promise.all(attacks)]);
  return { gone: Promise.all(attacks).then(() => {}) };
}

async function keepComingBack(name: string, { host, port }: Address, record: RecordClientEvent, stop: AbortSignal, connected: () => void): Promise<void> {
  while (!stop.aborted) {
    const client = new ProbeClient(name, record, stop);
    try {
      if (!(await client.connect(host, port))) return; // refused: no server to attack any more
      connected();
      const cutOffOrStopped = AbortSignal.any([client.failureSignal, stop]);
      if (!cutOffOrStopped.aborted) await once(cutOffOrStopped, 'abort');
    } catch (error) {
      if (!stop.aborted) throw error;
    } finally {
      await client.close();
    }
  }
}
