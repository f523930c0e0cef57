/**
 * Scripted clients, like the article's client program: connect, then for each message pause,
 * send it and wait for its whole echo; then close. Everything a client sees is recorded as a
 * ClientEvent on the monotonic clock.
 *
 * What the server does to a client (refuses it, resets it, closes on it, echoes the wrong
 * bytes) is an observation, not an exception: it is recorded as an 'error' event and ends
 * that client's script. Only a deadline or the caller's abort makes these functions reject.
 */
import { setMaxListeners } from 'node:events';
import { EcholabError, usageError } from '../core/errors';
import { checkPieceSizes, Connection, ConnectionFailed, toMessage, type ReadingPace, type RecordClientEvent } from './connection';
import type { Transcript } from './echo-problem';
import { Deadline, now, pause } from './wait';

export type { RecordClientEvent } from './connection';

/** A scripted client that does not read is refused once the server has taken none of its bytes for this many ticks. */
export const REFUSED_AFTER_TICKS = 3;

/** One character per client, so that each is one letter wide in a timeline's server lanes. */
const CLIENT_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const MAX_CLIENTS = CLIENT_LETTERS.length;

/** Client names in the order they connect: A, B, …, Z, then a, b, …, z. */
export function clientNames(count: number): string[] {
  if (count > CLIENT_LETTERS.length) throw usageError(`at most ${MAX_CLIENTS} clients can be named, not ${count}`);
  return [...CLIENT_LETTERS.slice(0, count)];
}

/**
 * The article's clients, as the specs run them: one script per name, a pause (a tick, as in
 * the article) before each message, and the echo read as it comes, so that a client's wait is
 * the server's doing alone.
 */
export function articleScripts(names: string[], messages: string[] = ['Hello', 'World!'], pauseTicks = 1): ClientScript[] {
  return names.map((name) => ({ name, messages, pauseTicks }));
}

/** The article's client program itself (`echolab clients`, the demo): it also sleeps a tick between sending a message and reading its echo. */
export const articleProgram = (names: string[]): ClientScript[] => articleScripts(names).map((script) => ({ ...script, readAfterTicks: 1 }));

export interface ClientScript {
  /** the client's lane on the timeline, e.g. "A" */
  name: string;
  /** sent one after the other; each waits for the previous one's echo */
  messages: (string | Uint8Array)[];
  /** connect only once this client has sent all its messages (for one that does not read: once the server stopped taking them) */
  after?: string;
  /** ticks to pause before each message, as the article's client sleeps; default 1. A list gives each message its own. */
  pauseTicks?: number | number[];
  /** ticks to pause after sending each message before reading its echo, as the article's client program sleeps before its recv; default 0: read as it comes */
  readAfterTicks?: number;
  /** ticks to stay connected after the last echo before closing; default 0 */
  holdTicks?: number;
  /** end by resetting the connection rather than closing it, as a client that crashed or gave up does */
  resets?: boolean;
  /** the local address to connect from, e.g. "127.0.0.2" (any 127.x.y.z is this machine); default: the system's choice */
  from?: string;
  /**
   * false: a client that never reads its echoes. It sends each message in pieces, and is done
   * with it once the server has taken all of it, or none for a while (it stopped reading).
   */
  readEchoes?: boolean;
}

export interface RunClientsOptions {
  host: string;
  port: number;
  /** how many ms one tick lasts */
  tickMs: number;
  /** connected in this order */
  clients: ClientScript[];
  record: RecordClientEvent;
  /** the whole run must be over by then, waiting included */
  timeoutMs: number;
  /** ms between one client's connect and the next; default 0: all in the same turn */
  startGapMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs every client script at once and resolves when all have ended (closed, or failed and
 * recorded why). Rejects with ECHOLAB_TIMEOUT, naming what each client was still waiting for,
 * if `timeoutMs` pass or `signal` aborts first. No socket is left open either way.
 */
export function runClients(options: RunClientsOptions): Promise<void> {
  const { host, port, tickMs, clients, record, startGapMs = 0 } = options;
  return underDeadline(
    options,
    (runSignal) => clients.map((script) => new ClientConnection(script.name, record, runSignal, script.readEchoes ?? true)),
    async (connections) => {
      const sentAll = new Map<string, Promise<void>>();
      const played = clients.map((script, i) => {
        const after = script.after === undefined ? undefined : sentAll.get(script.after);
        if (script.after !== undefined && !after) throw new Error(`client ${script.name} is to connect after ${script.after}, who comes later or not at all`);
        const play = playScript(script, connections[i], { host, port, tickMs, startDelayMs: i * startGapMs, after });
        sentAll.set(script.name, play.sent);
        return play.done;
      });
      await Promise.all(played);
    },
  );
}

export interface SendAndCollectOptions {
  host: string;
  port: number;
  payload: string | Uint8Array;
  /** sizes of the pieces the payload is sent in, used in turn: [1, 7] sends 1, 7, 1, 7, … bytes; default: one piece */
  pieceSizes?: number[];
  /** the client's lane name; default "client" */
  name?: string;
  /** once all is sent, shut the sending side and read until the server closes its side (a half-close) */
  finish?: boolean;
  /** read the echo this slowly rather than as it comes */
  pace?: ReadingPace;
  record: RecordClientEvent;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * For echo-integrity checks: connect, send `payload` in pieces, read back as many bytes as
 * were sent (with `finish`: shut the sending side and read until the server closes its), close. Resolves with the connection's transcript: the payload, and the bytes
 * that came back, fewer if the connection failed (the failure is recorded) or `timeoutMs`
 * passed first (then `gaveUpAfterMs` says so), so the caller can compare them with the
 * payload. Rejects only if `signal` aborts.
 */
export async function sendAndCollect(options: SendAndCollectOptions): Promise<Transcript> {
  const { host, port, payload, pieceSizes, name = 'client', finish = false, pace, record, timeoutMs, signal } = options;
  if (pieceSizes) checkPieceSizes(pieceSizes);
  const made: ClientConnection[] = []; // its one connection, for what came back before the deadline
  try {
    return await underDeadline(
      options,
      (runSignal) => {
        const connection = new ClientConnection(name, record, runSignal, true);
        if (pace) connection.readSlowly(pace);
        made.push(connection);
        return made;
      },
      async ([connection]) => {
        await connection.connect(host, port);
        if (finish) await connection.sendAndFinish(toMessage(payload), pieceSizes);
        else await connection.exchange(toMessage(payload), { pieceSizes });
        await connection.close();
        return connection.transcript();
      },
    );
  } catch (error) {
    if (signal?.aborted || made.length === 0 || !(error instanceof EcholabError && error.code === 'ECHOLAB_TIMEOUT')) throw error;
    return { ...made[0].transcript(), gaveUpAfterMs: timeoutMs };
  }
}

interface ScriptTiming {
  host: string;
  port: number;
  tickMs: number;
  startDelayMs: number;
  /** connect only once this has settled */
  after?: Promise<void>;
}

/** Plays one script; `sent` settles once it has sent all its messages (or ended), `done` once it has closed. */
function playScript(script: ClientScript, connection: ClientConnection, timing: ScriptTiming): { sent: Promise<void>; done: Promise<void> } {
  let markSent = (): void => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const done = playMessages(script, connection, timing, markSent).finally(markSent);
  return { sent, done };
}

/** The ticks a script pauses before each of its messages. */
const pausesOf = ({ pauseTicks = 1, messages }: ClientScript): number[] => (typeof pauseTicks === 'number' ? messages.map(() => pauseTicks) : pauseTicks);

/** How many ticks a script takes by itself: its pauses and its hold, not the waits for its echoes. */
export const scriptTicks = (script: ClientScript): number =>
  pausesOf(script).reduce((sum, ticks) => sum + ticks + (script.readAfterTicks ?? 0), 0) + (script.holdTicks ?? 0);

async function playMessages(script: ClientScript, connection: ClientConnection, timing: ScriptTiming, markSent: () => void): Promise<void> {
  const { holdTicks = 0, readAfterTicks = 0 } = script;
  const beforeReading = readAfterTicks > 0 ? () => pause(readAfterTicks * timing.tickMs, connection.signal) : undefined;
  const pauses = pausesOf(script);
  if (pauses.length !== script.messages.length) throw new Error(`client ${script.name} has ${script.messages.length} messages but ${pauses.length} pauses`);
  try {
    // With no start gap, every client's connect() is issued in the caller's turn, in order,
    // so the server's backlog receives them in that order.
    if (timing.after) await timing.after;
    if (timing.startDelayMs > 0) await pause(timing.startDelayMs, connection.signal);
    await connection.connect(timing.host, timing.port, { from: script.from });
    for (const [i, content] of script.messages.entries()) {
      await pause(pauses[i] * timing.tickMs, connection.signal);
      const message = toMessage(content);
      if (connection.readsEchoes) await connection.exchange(message, { beforeReading });
      else await connection.sendUntilRefused(message, REFUSED_AFTER_TICKS * timing.tickMs);
    }
    markSent();
    await pause(holdTicks * timing.tickMs, connection.signal);
    await (script.resets ? connection.reset() : connection.close());
  } catch (err) {
    // A failed connection is already on the timeline; it just ends this client's script.
    if (!(err instanceof ConnectionFailed)) throw err;
  }
}

/**
 * Gives `play` connections that share one deadline. However it ends, every socket is closed
 * before this settles; a deadline or abort becomes an ECHOLAB_TIMEOUT saying what was awaited.
 */
async function underDeadline<T>(
  limits: { timeoutMs: number; signal?: AbortSignal },
  connect: (runSignal: AbortSignal) => ClientConnection[],
  play: (connections: ClientConnection[]) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(limits.timeoutMs, limits.signal);
  // every client listens to the run's signal, and a run may well have more than ten clients
  setMaxListeners(0, deadline.signal);
  const connections = connect(deadline.signal);
  try {
    return await play(connections);
  } catch (err) {
    const stopped = deadline.signal.aborted;
    deadline.abort(err); // stop the other clients' pauses and waits too
    throw stopped ? stoppedError(deadline, connections) : err;
  } finally {
    deadline.clear();
    await Promise.all(connections.map((connection) => connection.discard()));
  }
}

function stoppedError(deadline: Deadline, connections: ClientConnection[]): EcholabError {
  const at = now();
  const waits = connections.flatMap((connection) => connection.describeWait(at) ?? []);
  const what = waits.length > 0 ? waits.join('; ') : 'the client scripts were still running';
  const why = deadline.timedOut
    ? `deadline ${deadline.timeoutMs} ms`
    : `aborted: ${errorText(deadline.signal.reason)}`;
  return new EcholabError('ECHOLAB_TIMEOUT', `${what} (${why})`);
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * A scripted client's connection: its `signal` also aborts when the connection fails, so that
 * the script's own pauses stop at once, while the connection's waits end normally.
 */
class ClientConnection extends Connection {
  /** aborts when the run stops or this connection fails */
  readonly signal: AbortSignal;

  constructor(name: string, record: RecordClientEvent, runSignal: AbortSignal, readsEchoes: boolean) {
    super(name, record, runSignal, readsEchoes);
    this.signal = AbortSignal.any([runSignal, this.failureSignal]);
  }
}
