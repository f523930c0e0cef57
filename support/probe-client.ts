/**
 * A client that a probe steers step by step, unlike a scripted client: it connects, sends a
 * message whose answer it awaits while the probe watches the others, and holds its connection
 * until the probe lets it go; or it floods the server with bytes it never reads, until the
 * server stops taking them.
 *
 * It keeps apart the two questions classify asks. It is served once bytes come back at all
 * after its message, whatever they are: that is when the timeline marks its echo. Whether they
 * are the echo is judged afterwards, from its transcript, so bytes that are not do not end its
 * connection, as they end a scripted client's.
 */
import { Connection, formatBytes, toMessage } from './connection';
import { now } from './wait';

export class ProbeClient extends Connection {
  /** messages sent and not answered yet, each with how many bytes had come back before it was sent */
  private readonly unanswered: { label: string; prose: string; since: number; receivedBefore: number }[] = [];
  /** when bytes first came back after a message */
  servedAt?: number;
  /** when the probe let it go */
  leftAt?: number;

  /** True once bytes have come back after one of its messages. */
  get served(): boolean {
    return this.servedAt !== undefined;
  }

  /** True once the probe has let it go (whatever the server did before). */
  get left(): boolean {
    return this.leftAt !== undefined;
  }

  /** True once every message it sent has been answered, or its connection failed: either way, nothing more is awaited. */
  get settled(): boolean {
    return this.failed || (this.sentBytes > 0 && this.unanswered.length === 0);
  }

  /** Sends a short text and returns at once; `settled` tells when an answer is in. Send the next only once settled. */
  send(text: string): void {
    if (this.failed) return;
    const message = toMessage(text);
    this.unanswered.push({ label: message.label, prose: message.prose, since: now(), receivedBefore: this.receivedBytes });
    this.sendPieces(message).catch(() => {}); // the probe stopped waiting: nothing more to send
  }

  /** Waits until it has settled, or `signal` aborts. */
  untilSettled(signal: AbortSignal): Promise<void> {
    return this.changed.waitFor(() => this.settled, signal);
  }

  /**
   * Sends `totalBytes` and never reads (construct it with `readsEchoes` false): a client that
   * does not read its echoes. Resolves once the server has taken none of them for `quietMs`
   * (it stopped reading from this client), or has taken them all.
   */
  floodUntilRefused(totalBytes: number, quietMs: number): Promise<void> {
    const label = `<${formatBytes(totalBytes)}, never read>`;
    return this.sendUntilRefused({ bytes: Buffer.alloc(totalBytes, 0x5a), label, prose: label }, quietMs);
  }

  override async close(): Promise<void> {
    this.leftAt ??= now();
    await super.close();
  }

  override describeWait(at: number): string | undefined {
    const [waiting] = this.unanswered;
    if (!waiting || this.failed) return super.describeWait(at);
    return `client ${this.name}: no answer to ${waiting.prose} after ${Math.round(at - waiting.since)} ms`;
  }

  /** Bytes came back: every message sent before them is answered, whatever they are. */
  protected override onData(chunk: Buffer): void {
    this.keep(chunk);
    while (this.unanswered.length > 0 && this.unanswered[0].receivedBefore < this.receivedBytes) {
      const { label } = this.unanswered.shift()!;
      this.servedAt ??= now();
      this.note({ kind: 'echo', message: label });
    }
    this.changed.notify();
  }
}
