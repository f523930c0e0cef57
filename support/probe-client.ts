/**
 * A client that a probe steers step by step, unlike a scripted client: it connects, exchanges
 * a message, and then holds its connection until the probe lets it go; or it floods the
 * server with bytes it never reads, until the server stops taking them. What it sees is
 * recorded on the timeline like any client's. A connection that fails is recorded and ends
 * its waits; only the probe's signal makes them reject.
 */
import net from 'node:net';
import { writeUntilRefused, type RecordClientEvent } from './clients';
import type { ClientEvent } from './timeline/types';
import { Condition, now } from './wait';

export class ProbeClient {
  private readonly socket = new net.Socket();
  private readonly changed = new Condition();
  private readonly received: Buffer[] = [];
  private receivedBytes = 0;
  private whenClosed?: Promise<void>;
  private connected = false;
  private closing = false;
  private failed = false;
  /** when the last of its own messages came back whole */
  echoedAt?: number;

  constructor(
    readonly name: string,
    private readonly record: RecordClientEvent,
    private readonly signal: AbortSignal,
  ) {}

  /** True once its message has come back, byte for byte. */
  get served(): boolean {
    return this.echoedAt !== undefined;
  }

  /** True once it has been served, or its connection failed: either way, nothing more will come. */
  get settled(): boolean {
    return this.served || this.failed;
  }

  /** True while its connection is open. */
  get open(): boolean {
    return this.connected && !this.failed && !this.closing;
  }

  /** Connects; `reads: false` for a client that never reads what it is sent, so TCP pushes back on the server. */
  async connect(host: string, port: number, { reads = true } = {}): Promise<void> {
    const socket = this.socket;
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err.code ?? err.message));
    socket.on('end', () => this.fail('EOF'));
    socket.on('connect', () => {
      socket.setNoDelay(true);
      this.connected = true;
      this.note({ kind: 'connected', localPort: socket.localPort });
      this.changed.notify();
    });
    if (reads) {
      socket.on('data', (chunk: Buffer) => {
        this.received.push(chunk);
        this.receivedBytes += chunk.length;
        this.changed.notify();
      });
    }
    this.note({ kind: 'connecting' });
    socket.connect(port, host);
    await this.changed.waitFor(() => this.connected || this.failed, this.signal);
  }

  /** Sends its one short text; it counts as served once exactly that text has come back. Returns at once. */
  send(text: string): void {
    if (this.failed) return;
    const bytes = Buffer.from(text);
    this.note({ kind: 'send', message: text, bytes: bytes.length });
    this.socket.write(bytes);
    void this.changed.waitFor(() => this.receivedBytes >= bytes.length || this.failed, this.signal).then(
      () => {
        if (this.failed) return;
        if (!Buffer.concat(this.received).equals(bytes)) return this.fail('EECHO_MISMATCH');
        this.echoedAt = now();
        this.note({ kind: 'echo', message: text, bytes: bytes.length });
        this.changed.notify();
      },
      () => {}, // the probe stopped waiting: nothing more to record
    );
  }

  /** Waits until it has settled, or `signal` aborts. */
  untilSettled(signal: AbortSignal): Promise<void> {
    return this.changed.waitFor(() => this.settled, signal);
  }

  /**
   * Sends `totalBytes` in pieces, one after the other, and never reads: a client that does not
   * read its echoes. Resolves once the server has taken none of them for `quietMs` (it stopped
   * reading from this client), or has taken them all.
   */
  async floodUntilRefused(totalBytes: number, quietMs: number): Promise<void> {
    this.note({ kind: 'send', message: `<${totalBytes / 1024 ** 2} MiB, never read>`, bytes: totalBytes });
    const bytes = Buffer.alloc(totalBytes, 0x5a);
    await writeUntilRefused(this.socket, bytes, { quietMs, changed: this.changed, failed: () => this.failed, signal: this.signal });
  }

  /** Closes, as a client that is done; records 'closed' unless the connection had failed. */
  async close(): Promise<void> {
    if (!this.failed && this.connected && !this.closing) this.note({ kind: 'closed' });
    this.closing = true;
    this.socket.destroy();
    await this.whenClosed;
  }

  private fail(code: string): void {
    if (this.failed || this.closing) return;
    this.failed = true;
    this.note({ kind: 'error', code });
    this.socket.destroy();
    this.changed.notify();
  }

  private note(event: Omit<ClientEvent, 'source' | 't' | 'client'>): void {
    this.record({ source: 'client', t: now(), client: this.name, ...event });
  }
}
