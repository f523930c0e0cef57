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
import net from 'node:net';
import { EcholabError, usageError } from './errors';
import type { ClientEvent } from './timeline/types';
import { Condition, Deadline, now, pause } from './wait';

/** A scripted client that does not read is refused once the server has taken none of its bytes for this many ticks. */
const REFUSED_AFTER_TICKS = 3;
/**
 * ...and never sooner than this, whoever asks: a flood that is still flowing pauses now and
 * then as TCP's windows fill (by up to a tenth of a second, measured here).
 */
const REFUSED_AFTER_MS = 300;
/** small enough that a refusal is seen soon after it happens, large enough to send quickly */
const REFUSAL_PIECE_BYTES = 64 * 1024;

/** One character per client, so that each is one letter wide in a timeline's server lanes. */
const CLIENT_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const MAX_CLIENTS = CLIENT_LETTERS.length;

/** Client names in the order they connect: A, B, …, Z, then a, b, …, z. */
export function clientNames(count: number): string[] {
  if (count > CLIENT_LETTERS.length) throw usageError(`at most ${MAX_CLIENTS} clients can be named, not ${count}`);
  return [...CLIENT_LETTERS.slice(0, count)];
}

/** The article's client program, one script per name: a pause (a tick, as in the article) before each message. */
export function articleScripts(names: string[], messages: string[] = ['Hello', 'World!'], pauseTicks = 1): ClientScript[] {
  return names.map((name) => ({ name, messages, pauseTicks }));
}

export type RecordClientEvent = (event: ClientEvent) => void;

export interface ClientScript {
  /** the client's lane on the timeline, e.g. "A" */
  name: string;
  /** sent one after the other; each waits for the previous one's echo */
  messages: (string | Uint8Array)[];
  /** connect only once this client has sent all its messages (for one that does not read: once the server stopped taking them) */
  after?: string;
  /** ticks to pause before each message, as the article's client sleeps; default 1 */
  pauseTicks?: number;
  /** ticks to stay connected after the last echo before closing; default 0 */
  holdTicks?: number;
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
  record: RecordClientEvent;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * For echo-integrity checks: connect, send `payload` in pieces, read back as many bytes as
 * were sent, close. Resolves with the bytes that came back (fewer if the connection failed;
 * the failure is recorded), so the caller can compare them with the payload.
 */
export function sendAndCollect(options: SendAndCollectOptions): Promise<Buffer> {
  const { host, port, payload, pieceSizes, name = 'client', record } = options;
  return underDeadline(
    options,
    (runSignal) => [new ClientConnection(name, record, runSignal, true)],
    async ([connection]) => {
      if (pieceSizes) checkPieceSizes(pieceSizes);
      await connection.connect(host, port);
      const echo = await connection.exchange(toMessage(payload), pieceSizes);
      await connection.close();
      return echo;
    },
  );
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

async function playMessages(script: ClientScript, connection: ClientConnection, timing: ScriptTiming, markSent: () => void): Promise<void> {
  const { pauseTicks = 1, holdTicks = 0 } = script;
  try {
    // With no start gap, every client's connect() is issued in the caller's turn, in order,
    // so the server's backlog receives them in that order.
    if (timing.after) await timing.after;
    if (timing.startDelayMs > 0) await pause(timing.startDelayMs, connection.signal);
    await connection.connect(timing.host, timing.port);
    for (const content of script.messages) {
      await pause(pauseTicks * timing.tickMs, connection.signal);
      const message = toMessage(content);
      if (connection.readsEchoes) await connection.exchange(message);
      else await connection.sendUntilRefused(message, REFUSED_AFTER_TICKS * timing.tickMs);
    }
    markSent();
    await pause(holdTicks * timing.tickMs, connection.signal);
    await connection.close();
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

/** The reason a connection's signal aborts when the connection failed. */
class ConnectionFailed extends Error {
  constructor(code: string) {
    super(`connection failed: ${code}`);
    this.name = 'ConnectionFailed';
  }
}

/** A message ready to send: its bytes and how the timeline and error messages name it. */
interface Message {
  bytes: Buffer;
  /** for the timeline: the text itself, or a description like "<binary 5 MiB>" */
  label: string;
  /** for error messages: the text in quotes, or the description */
  prose: string;
}

const MAX_LABEL_CHARS = 40;

function toMessage(content: string | Uint8Array): Message {
  if (typeof content !== 'string') {
    const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    return described(bytes, 'binary');
  }
  const bytes = Buffer.from(content);
  // Control characters and long texts would garble a chart lane: describe those instead.
  const showable = content.length <= MAX_LABEL_CHARS && !/\p{C}/u.test(content);
  return showable ? { bytes, label: content, prose: JSON.stringify(content) } : described(bytes, 'text');
}

function described(bytes: Buffer, kind: 'binary' | 'text'): Message {
  const label = `<${kind} ${formatBytes(bytes.length)}>`;
  return { bytes, label, prose: label };
}

function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  const [size, unit] = n < 1024 ** 2 ? [n / 1024, 'KiB'] : [n / 1024 ** 2, 'MiB'];
  return `${Number(size.toFixed(1))} ${unit}`;
}

function checkPieceSizes(sizes: number[]): void {
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new RangeError(`piece sizes must be whole numbers of bytes, at least 1: [${sizes.join(', ')}]`);
  }
}

/** The payload cut into pieces of the given sizes, used in turn: [1, 7] gives 1, 7, 1, 7, … bytes. */
function* piecesOf(bytes: Buffer, sizes: number[]): Generator<Buffer> {
  for (let offset = 0, i = 0; offset < bytes.length; offset += sizes[i], i = (i + 1) % sizes.length) {
    yield bytes.subarray(offset, offset + sizes[i]);
  }
}

/**
 * How a client that does not read sends: `bytes` go to the socket in pieces, each once the one
 * before has gone to the kernel. Done once all of them are gone, or none has gone for
 * `quietMs` (at least REFUSED_AFTER_MS): the server stopped reading from this client, and TCP
 * is pushing back. `changed`
 * is the client's condition, notified here as pieces go and by the client when it `failed`.
 */
export async function writeUntilRefused(
  socket: net.Socket,
  bytes: Buffer,
  { quietMs, changed, failed, signal }: { quietMs: number; changed: Condition; failed: () => boolean; signal: AbortSignal },
): Promise<void> {
  for (const piece of piecesOf(bytes, [REFUSAL_PIECE_BYTES])) {
    if (failed()) return;
    let gone = false;
    socket.write(piece, () => {
      gone = true;
      changed.notify();
    });
    if (!(await changed.waitAtMost(() => gone || failed(), Math.max(quietMs, REFUSED_AFTER_MS), signal))) return;
  }
}

/**
 * One client's TCP connection. It records what it sees, and when the connection fails it
 * records why, closes the socket and aborts its `signal`. Its methods wait on the run's
 * signal only: a failure ends their wait normally (they check `failed`), while the
 * script's own pauses listen to `signal` and so stop at once.
 */
class ClientConnection {
  /** aborts when the run stops or this connection fails */
  readonly signal: AbortSignal;
  private readonly socket = new net.Socket();
  private readonly failure = new AbortController();
  private readonly changed = new Condition();
  private whenClosed?: Promise<void>;
  private connected = false;
  private closedByUs = false;
  /** the echo being awaited: bytes arrive into `received`, and more than `expectedBytes` is wrong */
  private expectedBytes = 0;
  private received: Buffer[] = [];
  private receivedBytes = 0;
  /** what the client is waiting for, kept after a deadline so the error can say it */
  private awaiting?: { since: number; what: () => string };

  constructor(
    readonly name: string,
    private readonly record: RecordClientEvent,
    private readonly runSignal: AbortSignal,
    readonly readsEchoes: boolean,
  ) {
    this.signal = AbortSignal.any([runSignal, this.failure.signal]);
  }

  get failed(): boolean {
    return this.failure.signal.aborted;
  }

  async connect(host: string, port: number): Promise<void> {
    const socket = this.socket;
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? err.message));
    socket.on('end', () => this.fail('EOF')); // the server closed the connection on us
    socket.on('connect', () => {
      socket.setNoDelay(true); // each send leaves at once, as the article's sendall does
      this.connected = true;
      // The server sees this port as its peer's: it lets the timeline match server events to clients.
      this.note({ kind: 'connected', localPort: socket.localPort });
      this.changed.notify();
    });
    // A client that never reads adds no 'data' listener: its socket stops reading when its
    // buffer is full, so TCP pushes back on the server, as with a real slow client.
    if (this.readsEchoes) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.note({ kind: 'connecting' });
    socket.connect(port, host);
    await this.until(() => this.connected, () => 'not connected');
  }

  /** Send a message and wait for its whole echo; records 'echo' if it is byte-exact. Resolves with the bytes that came back. */
  async exchange(message: Message, pieceSizes?: number[]): Promise<Buffer> {
    // Expect the echo before sending: it may start arriving while later pieces are still sent.
    this.expectedBytes = message.bytes.length;
    await this.send(message, pieceSizes);
    await this.until(
      () => this.receivedBytes === this.expectedBytes,
      () => `no echo of ${message.prose}${this.receivedBytes > 0 ? ` (${formatBytes(this.receivedBytes)} of ${formatBytes(this.expectedBytes)} arrived)` : ''}`,
    );
    const echo = Buffer.concat(this.received);
    this.expectedBytes = 0;
    this.received = [];
    this.receivedBytes = 0;
    if (this.failed) return echo;
    if (echo.equals(message.bytes)) this.note({ kind: 'echo', message: message.label, bytes: echo.length });
    else this.fail('EECHO_MISMATCH');
    return echo;
  }

  /**
   * Hand a message to the socket, in pieces if asked. Each piece waits until the previous one
   * has gone to the kernel, so the pieces really travel apart; the last is only handed over.
   */
  async send(message: Message, pieceSizes = [Math.max(message.bytes.length, 1)]): Promise<void> {
    if (this.failed) return;
    this.note({ kind: 'send', message: message.label, bytes: message.bytes.length });
    let written = 0;
    let flushed = 0;
    for (const piece of piecesOf(message.bytes, pieceSizes)) {
      await this.until(() => flushed === written, () => `could not send all of ${message.prose} (the server stopped reading)`);
      if (this.failed) return;
      written += 1;
      this.socket.write(piece, () => {
        flushed += 1;
        this.changed.notify();
      });
    }
  }

  /**
   * Hand a message to the socket in pieces, each once the one before has gone to the kernel,
   * and read nothing. Done once all of it is gone, or none has gone for `quietMs`: the server
   * stopped reading from this client, and TCP is pushing back.
   */
  async sendUntilRefused(message: Message, quietMs: number): Promise<void> {
    if (this.failed) return;
    this.note({ kind: 'send', message: message.label, bytes: message.bytes.length });
    await writeUntilRefused(this.socket, message.bytes, { quietMs, changed: this.changed, failed: () => this.failed, signal: this.runSignal });
  }


  /** Close, as the article's client does; records 'closed'. */
  async close(): Promise<void> {
    if (this.failed) return;
    this.closedByUs = true;
    this.note({ kind: 'closed' });
    await this.discard();
  }

  /** Destroy the socket if it is open, and resolve once it has closed. Records nothing. */
  async discard(): Promise<void> {
    this.socket.destroy();
    await this.whenClosed;
  }

  /** What this client was waiting for, e.g. `client C: no echo of "World!" after 3000 ms`. */
  describeWait(at: number): string | undefined {
    if (!this.awaiting) return undefined;
    return `client ${this.name}: ${this.awaiting.what()} after ${Math.round(at - this.awaiting.since)} ms`;
  }

  /** Wait until `happened()` or this connection fails; only the run's signal cuts it short. */
  private async until(happened: () => boolean, what: () => string): Promise<void> {
    this.awaiting = { since: now(), what };
    await this.changed.waitFor(() => happened() || this.failed, this.runSignal);
    this.awaiting = undefined;
  }

  private onData(chunk: Buffer): void {
    this.received.push(chunk);
    this.receivedBytes += chunk.length;
    // More bytes than were sent (or bytes nobody sent) cannot be an echo.
    if (this.receivedBytes > this.expectedBytes) this.fail('EECHO_MISMATCH');
    else this.changed.notify();
  }

  private fail(code: string): void {
    if (this.failed || this.closedByUs) return;
    this.note({ kind: 'error', code });
    this.socket.destroy();
    this.failure.abort(new ConnectionFailed(code));
    this.changed.notify();
  }

  private note(event: Omit<ClientEvent, 'source' | 't' | 'client'>): void {
    this.record({ source: 'client', t: now(), client: this.name, ...event });
  }
}
