/**
 * One client's TCP connection, as the scripted clients and classify's probes both use it: it
 * connects, sends messages and checks their echoes, or floods the server without reading, and
 * records everything it sees on the monotonic clock.
 *
 * What the server does to it (refuses it, resets it, closes on it, echoes the wrong bytes) is
 * an observation, not an exception: it is recorded as an 'error' event, the socket is closed,
 * and `failureSignal` aborts. Waits end when what they wait for happens or the connection
 * fails; only the caller's signal, given to the constructor, makes them reject.
 *
 * It keeps every message it sent and every byte that came back (its transcript), so that what
 * was wrong with an echo can be said in words (support/echo-problem.ts): on the 'error' that a
 * wrong echo, or the server's closing on it, ended it with, and to whoever judges it afterwards.
 */
import net from 'node:net';
import { echoProblem, type Transcript } from './echo-problem';
import { resentSegments } from './tcp-info';
import type { ClientEvent } from './timeline/types';
import { Condition, now } from './wait';

export type RecordClientEvent = (event: ClientEvent) => void;

/**
 * A client that does not read is refused once the server has taken none of its bytes for a
 * while, and never sooner than this, whoever asks: a flood that is still flowing pauses now
 * and then as TCP's windows fill (by up to a tenth of a second, measured here).
 */
const REFUSED_AFTER_MS = 300;
/** small enough that a refusal is seen soon after it happens, large enough to send quickly */
const REFUSAL_PIECE_BYTES = 64 * 1024;
/** How a connection that the server closed (or reset) fails. */
const CLOSED_BY_SERVER = ['EOF', 'ECONNRESET', 'EPIPE'];

/** The reason `failureSignal` aborts with. */
export class ConnectionFailed extends Error {
  constructor(code: string) {
    super(`connection failed: ${code}`);
    this.name = 'ConnectionFailed';
  }
}

/** A message ready to send: its bytes and how the timeline and error messages name it. */
export interface Message {
  bytes: Buffer;
  /** for the timeline: the text itself, or a description like "<binary 5 MiB>" */
  label: string;
  /** for error messages: the text in quotes, or the description */
  prose: string;
}

const MAX_LABEL_CHARS = 40;

export function toMessage(content: string | Uint8Array): Message {
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

/** "1 byte", "1000 bytes", "64 KiB", "3.5 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  const [size, unit] = n < 1024 ** 2 ? [n / 1024, 'KiB'] : [n / 1024 ** 2, 'MiB'];
  return `${Number(size.toFixed(1))} ${unit}`;
}

export function checkPieceSizes(sizes: number[]): void {
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

/** How a client that reads slowly reads: `bytes` at most, every `everyMs`. */
export interface ReadingPace {
  bytes: number;
  everyMs: number;
}

export class Connection {
  /** notified whenever something changes: connected, bytes in, a piece gone, failed */
  protected readonly changed = new Condition();
  private readonly socket = new net.Socket();
  private readonly failure = new AbortController();
  private whenClosed?: Promise<void>;
  private connected = false;
  private closedByUs = false;
  /** whether the client has shut its sending side (a half-close): the server's end is then the normal end */
  private finishedSending = false;
  /** whether the server closed its side after the client had finished sending */
  private serverFinished = false;
  private closedByServer = false;
  /** every message handed to the socket, in order, and how many bytes they hold */
  private readonly messages: Message[] = [];
  protected sentBytes = 0;
  /** every byte that came back, in order */
  private readonly received: Buffer[] = [];
  protected receivedBytes = 0;
  /** when the last bytes came back: an echo arrived then, however much later the client reads it */
  private receivedAt = 0;
  /** what the client is waiting for, kept after a deadline so the error can say it */
  private awaiting?: { since: number; what: () => string };
  /** for a client that reads slowly: how much it takes at a time, and how often */
  private pace?: ReadingPace;

  constructor(
    readonly name: string,
    private readonly record: RecordClientEvent,
    /** the run's signal: only it cuts a wait short */
    protected readonly runSignal: AbortSignal,
    /** false: a client that never reads, so that TCP pushes back on the server, as with a real slow client */
    readonly readsEchoes = true,
  ) {}

  get failed(): boolean {
    return this.failure.signal.aborted;
  }

  /** aborts, with a ConnectionFailed, when the connection fails */
  get failureSignal(): AbortSignal {
    return this.failure.signal;
  }

  /** True while its connection is open. */
  get open(): boolean {
    return this.connected && !this.failed && !this.closedByUs;
  }

  /** What it sent and what came back so far. */
  transcript(): Transcript {
    return { client: this.name, sent: [...this.messages], received: Buffer.concat(this.received), closedByServer: this.closedByServer };
  }

  /**
   * Connects, from the local address `from` if given, and resolves once connected or failed;
   * with `withinMs`, gives up waiting after that long (the connection stays pending). Resolves
   * with whether it is connected.
   */
  async connect(host: string, port: number, { withinMs, from }: { withinMs?: number; from?: string } = {}): Promise<boolean> {
    const socket = this.socket;
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? err.message));
    socket.on('end', () => {
      if (!this.finishedSending) return this.fail('EOF'); // the server closed the connection on us
      this.serverFinished = true; // it closed its side after ours, as it should
      this.changed.notify();
    });
    socket.on('connect', () => {
      socket.setNoDelay(true); // each send leaves at once, as the article's sendall does
      this.connected = true;
      // The server sees this port as its peer's: it lets the timeline match server events to clients.
      this.note({ kind: 'connected', localPort: socket.localPort, resent: resentSegments(socket) });
      this.changed.notify();
    });
    // A client that never reads adds no 'data' listener: its socket stops reading when its
    // buffer is full, so TCP pushes back on the server. One that reads slowly takes a little
    // at a time from that buffer, so TCP pushes back on the server most of the time.
    if (this.pace) this.readAtPace(this.pace);
    else if (this.readsEchoes) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.note({ kind: 'connecting', ...(this.readsEchoes ? {} : { readsEchoes: false }) });
    socket.connect({ port, host, ...(from === undefined ? {} : { localAddress: from }) });
    if (withinMs === undefined) await this.until(() => this.connected, () => 'not connected');
    else await this.changed.waitAtMost(() => this.connected || this.failed, withinMs, this.runSignal);
    return this.connected && !this.failed;
  }

  /**
   * Send a message and wait for its whole echo; records 'echo' if it is byte-exact, at the
   * moment it arrived, and ends the connection with EECHO_MISMATCH if it is not. Resolves once
   * it is in or the connection failed. `beforeReading` is what the client does between sending
   * and reading (the article's client program sleeps); the echo meanwhile arrives as it will.
   */
  async exchange(message: Message, { pieceSizes, beforeReading }: { pieceSizes?: number[]; beforeReading?: () => Promise<void> } = {}): Promise<void> {
    const from = this.sentBytes;
    await this.sendPieces(message, pieceSizes);
    if (beforeReading && !this.failed) await beforeReading();
    await this.until(
      () => this.receivedBytes >= this.sentBytes,
      () => `no echo of ${message.prose}${this.receivedBytes > from ? ` (${formatBytes(this.receivedBytes - from)} of ${formatBytes(message.bytes.length)} arrived)` : ''}`,
    );
    if (this.failed) return;
    const echo = Buffer.concat(this.received).subarray(from);
    if (echo.equals(message.bytes)) this.note({ kind: 'echo', message: message.label, bytes: echo.length, resent: resentSegments(this.socket) }, this.receivedAt);
    else this.fail('EECHO_MISMATCH');
  }

  /**
   * Send a message, then shut the sending side (a half-close: the server reads the end of the
   * stream) and read until the server closes its side. Resolves once it has, or the connection
   * failed; the bytes that came back are in the transcript.
   */
  async sendAndFinish(message: Message, pieceSizes?: number[]): Promise<void> {
    await this.sendPieces(message, pieceSizes);
    if (this.failed) return;
    this.finishedSending = true;
    this.socket.end();
    await this.until(
      () => this.serverFinished,
      () => `the server did not close its side after the client had finished sending (${formatBytes(this.receivedBytes)} of ${formatBytes(this.sentBytes)} came back)`,
    );
  }

  /** Reset the connection (a close with SO_LINGER 0: the kernel sends RST), as a client that crashed or gave up; records 'closed' with `reset`. */
  async reset(): Promise<void> {
    if (this.open) this.note({ kind: 'closed', reset: true });
    this.closedByUs = true;
    this.socket.resetAndDestroy();
    await this.whenClosed;
  }

  /**
   * Hand a message to the socket in pieces, each once the one before has gone to the kernel,
   * and read nothing. Done once all of it is gone, or none has gone for `quietMs` (at least
   * REFUSED_AFTER_MS): the server stopped reading from this client, and TCP is pushing back.
   */
  async sendUntilRefused(message: Message, quietMs: number): Promise<void> {
    if (this.failed) return;
    this.noteSent(message);
    for (const piece of piecesOf(message.bytes, [REFUSAL_PIECE_BYTES])) {
      if (this.failed) return;
      let gone = false;
      this.socket.write(piece, () => {
        gone = true;
        this.changed.notify();
      });
      if (!(await this.changed.waitAtMost(() => gone || this.failed, Math.max(quietMs, REFUSED_AFTER_MS), this.runSignal))) return;
    }
  }

  /** Read at most `bytes` every `everyMs` from now on, rather than everything as it comes; call before connect. */
  readSlowly(pace: ReadingPace): void {
    this.pace = pace;
  }

  private readAtPace({ bytes, everyMs }: ReadingPace): void {
    const socket = this.socket;
    const reader = setInterval(() => {
      // read(n) hands over exactly n bytes, or null while fewer are in and the stream goes on
      const chunk = socket.read(Math.min(bytes, Math.max(socket.readableLength, 1))) as Buffer | null;
      if (chunk) this.onData(chunk);
    }, everyMs);
    socket.once('close', () => clearInterval(reader));
  }

  /** Close, as a client that is done; records 'closed' unless the connection had failed or never opened. */
  async close(): Promise<void> {
    if (this.open) this.note({ kind: 'closed' });
    this.closedByUs = true;
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
  protected async until(happened: () => boolean, what: () => string): Promise<void> {
    this.awaiting = { since: now(), what };
    await this.changed.waitFor(() => happened() || this.failed, this.runSignal);
    this.awaiting = undefined;
  }

  /** Records what happened, at `t` if it happened earlier than it is recorded. */
  protected note(event: Omit<ClientEvent, 'source' | 't' | 'client'>, t = now()): void {
    this.record({ source: 'client', t, client: this.name, ...event });
  }

  /** Records a message as sent: on the timeline, and in the transcript. */
  private noteSent(message: Message): void {
    this.note({ kind: 'send', message: message.label, bytes: message.bytes.length });
    this.messages.push(message);
    this.sentBytes += message.bytes.length;
  }

  /**
   * Hand a message to the socket, in pieces if asked. Each piece waits until the previous one
   * has gone to the kernel, so the pieces really travel apart; the last is only handed over.
   */
  protected async sendPieces(message: Message, pieceSizes = [Math.max(message.bytes.length, 1)]): Promise<void> {
    if (this.failed) return;
    this.noteSent(message);
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

  /** Bytes came back: kept, and more than were sent (or bytes nobody sent) cannot be an echo. */
  protected onData(chunk: Buffer): void {
    this.keep(chunk);
    if (this.receivedBytes > this.sentBytes) this.fail('EECHO_MISMATCH');
    else this.changed.notify();
  }

  /** Adds bytes that came back to the transcript. */
  protected keep(chunk: Buffer): void {
    this.received.push(chunk);
    this.receivedBytes += chunk.length;
    this.receivedAt = now();
  }

  /** Records the failure, with what was wrong with the echo if that is why, and closes the socket. */
  private fail(code: string): void {
    if (this.failed || this.closedByUs) return;
    this.closedByServer = this.connected && CLOSED_BY_SERVER.includes(code);
    const wrongEcho = code === 'EECHO_MISMATCH' || code === 'EOF' ? echoProblem(this.transcript()) : undefined;
    this.note({ kind: 'error', code, ...(wrongEcho === undefined ? {} : { wrongEcho }) });
    this.socket.destroy();
    this.failure.abort(new ConnectionFailed(code));
    this.changed.notify();
  }
}
