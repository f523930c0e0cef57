/**
 * One thread of the load generator: it runs its share of the connections, each in a closed
 * loop (send a message, collect exactly that many bytes, check them, send the next, whose
 * content differs so that a stale echo cannot pass). The coordinating thread (`loadgen.ts`)
 * tells it when to start sending and when to stop, and reads its progress from shared cells.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { cellOf, Phase, PHASE_CELL, Progress, type FromThread, type ThreadSetup, type ToThread } from './loadgen-protocol';

const READ_BUFFER_BYTES = 64 * 1024;
/** How long the connections get to close when the run is over, before they are cut. */
const CLOSE_GRACE_MS = 5_000;

const setup = workerData as ThreadSetup;
const control = new Int32Array(setup.control);
const latencies: number[] = [];
let failed = false;

function tell(message: FromThread): void {
  parentPort!.postMessage(message);
}

function fail(code: 'ECHOLAB_SERVER_CRASHED' | 'ECHOLAB_WRONG_ECHO', message: string): void {
  if (failed || Atomics.load(control, PHASE_CELL) === Phase.over) return;
  failed = true;
  tell({ kind: 'failed', code, message });
}

class Client {
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  private readonly message: Buffer;
  private readonly echo: Buffer;
  private received = 0;
  private sentAt = 0;
  private round = 0;
  private echoed = false;
  roundTripsMeasured = 0;

  constructor(readonly id: number) {
    const bytes = setup.messageBytes;
    this.message = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) this.message[i] = (id * 31 + i * 7) & 0xff;
    this.echo = Buffer.alloc(bytes);
    // onread: reads land in one reused buffer, without a stream chunk per read
    const readBuffer = Buffer.alloc(READ_BUFFER_BYTES);
    this.socket = net.connect({
      host: setup.host,
      port: setup.port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (bytes) => {
          this.onData(readBuffer.subarray(0, bytes));
          return true; // keep reading
        },
      },
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.once('connect', () => Atomics.add(control, cellOf(setup.thread, Progress.connected), 1));
    this.socket.on('error', (error) => fail('ECHOLAB_SERVER_CRASHED', `connection ${id}: ${error.message}`));
    this.socket.on('end', () => fail('ECHOLAB_SERVER_CRASHED', `connection ${id}: the server closed it`));
  }

  send(): void {
    this.round++;
    this.message.writeUInt32LE(this.round, 0); // a new message each round
    this.received = 0;
    this.sentAt = performance.now();
    this.socket.write(this.message);
  }

  private onData(chunk: Buffer): void {
    if (this.received + chunk.length > this.echo.length) {
      fail('ECHOLAB_WRONG_ECHO', `connection ${this.id}: more bytes came back than were sent`);
      return;
    }
    chunk.copy(this.echo, this.received);
    this.received += chunk.length;
    if (this.received < this.echo.length) return;
    const at = performance.now();
    if (!this.echo.equals(this.message)) {
      fail('ECHOLAB_WRONG_ECHO', `connection ${this.id}: the echo of message ${this.round} differs from it`);
      return;
    }
    if (!this.echoed) {
      this.echoed = true;
      Atomics.add(control, cellOf(setup.thread, Progress.echoed), 1);
    }
    const phase = Atomics.load(control, PHASE_CELL);
    if (phase === Phase.measuring) {
      latencies.push((at - this.sentAt) * 1000);
      this.roundTripsMeasured++;
    }
    if (phase !== Phase.over) this.send();
  }
}

const clients = setup.ids.map((id) => new Client(id));

async function close(): Promise<void> {
  for (const client of clients) client.socket.end();
  const cut = setTimeout(() => clients.forEach((client) => client.socket.destroy()), CLOSE_GRACE_MS);
  await Promise.all(clients.map((client) => client.closed));
  clearTimeout(cut);
}

parentPort!.on('message', (message: ToThread) => {
  if (message.kind === 'send') {
    for (const client of clients) client.send();
  } else if (message.kind === 'report') {
    const latenciesUs = Float64Array.from(latencies);
    const served = clients.filter((client) => client.roundTripsMeasured > 0).length;
    parentPort!.postMessage({ kind: 'report', latenciesUs, served } satisfies FromThread, [latenciesUs.buffer]);
  } else {
    void close().then(() => parentPort!.close()); // nothing left: the thread ends
  }
});
