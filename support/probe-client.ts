/**
 * A client that a probe steers step by step, unlike a scripted client: it connects, sends a
 * message whose echo it awaits while the probe watches the others, and holds its connection
 * until the probe lets it go; or it floods the server with bytes it never reads, until the
 * server stops taking them.
 */
import { Connection, formatBytes, toMessage } from './connection';
import { now } from './wait';

export class ProbeClient extends Connection {
  private sent = 0;
  private echoed = 0;
  /** when its first message came back whole */
  servedAt?: number;

  /** True once its first message has come back, byte for byte. */
  get served(): boolean {
    return this.servedAt !== undefined;
  }

  /** True once every message it sent has come back, or its connection failed: either way, nothing more is awaited. */
  get settled(): boolean {
    return this.failed || (this.sent > 0 && this.echoed === this.sent);
  }

  /** Sends a short text and returns at once; `settled` tells when its echo is in. Send the next only once settled. */
  send(text: string): void {
    if (this.failed) return;
    this.sent += 1;
    this.exchange(toMessage(text)).then(
      () => {
        if (this.failed) return;
        this.servedAt ??= now();
        this.echoed += 1;
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
   * Sends `totalBytes` and never reads (construct it with `readsEchoes` false): a client that
   * does not read its echoes. Resolves once the server has taken none of them for `quietMs`
   * (it stopped reading from this client), or has taken them all.
   */
  floodUntilRefused(totalBytes: number, quietMs: number): Promise<void> {
    const label = `<${formatBytes(totalBytes)}, never read>`;
    return this.sendUntilRefused({ bytes: Buffer.alloc(totalBytes, 0x5a), label, prose: label }, quietMs);
  }
}
