/**
 * Small server programs for the runtime's tests, run on real program threads by host.ts.
 * Each reports what happened as lines on its standard output, which the test reads.
 */
import { accept, close, get, listen, print, priorityQueue, put, queue, recv, select, sendall, startThread, type PriorityQueue, type Queue } from '../../servers/runtime/os';
import { OSError } from '../../servers/runtime/os';
import { sys } from '../../servers/runtime/libc';
import { DefaultSelector } from '../../servers/runtime/selectors';

const HOST = '127.0.0.1';

/** Blocks until the test writes a line on our standard input: its go-ahead. */
function awaitGoAhead() {
  sys.read(0, new Uint8Array(1), 1);
}

/** Keeps the process (whose life is its first thread's) alive for the other threads to report; the test ends it. */
function stayUntilKilled() {
  select([], [], null);
}

/** `what` failed: say how, as a line. */
function report(what: string, error: unknown) {
  print(what, 'failed:', error instanceof OSError ? error.code : String(error));
}

export function recvOnce() {
  const [conn] = accept(listen(HOST, 0));
  print('receiving');
  print('received', Buffer.from(recv(conn, 100)).toString());
}

/** recv with a timeout: first with nothing sent (it times out), then with the client sending in time. */
export function recvWithTimeout() {
  const [conn] = accept(listen(HOST, 0));
  const started = performance.now();
  try {
    print('received', Buffer.from(recv(conn, 100, 200)).toString(), 'before the timeout');
  } catch (error) {
    report('recv', error);
  }
  print('gave up after', Math.round(performance.now() - started), 'ms');
  print('receiving');
  print('received', Buffer.from(recv(conn, 100, 60_000)).toString());
}

export function recvTwice() {
  const [conn] = accept(listen(HOST, 0));
  const first = recv(conn, 5);
  print('first');
  const second = recv(conn, 5);
  print('kept', Buffer.from(first).toString(), Buffer.from(second).toString());
}

export function selectorReadiness() {
  const server = listen(HOST, 0);
  const selector = new DefaultSelector<string>();
  const ready = (timeoutMs: number | null = null) => selector.select(timeoutMs).map((key) => key.data).sort().join(' ') || 'none';
  selector.register(server, 'listener');
  print('timed out with', ready(150), 'ready');
  print('selecting');
  print('ready', ready());
  const [a] = accept(server);
  const [b] = accept(server);
  selector.unregister(server);
  selector.register(a, 'a');
  selector.register(b, 'b');
  print('watching a and b');
  print('ready', ready());
  selector.unregister(b);
  print('watching a');
  print('ready', ready());
  stayUntilKilled(); // exiting would reset b, whose byte was never read
}

export function sendallBig() {
  const [conn] = accept(listen(HOST, 0));
  print('sending');
  sendall(conn, new Uint8Array(8 << 20).fill(7));
  print('sent');
  close(conn);
}

export function selectWithTimeout() {
  const server = listen(HOST, 0);
  const started = performance.now();
  const quiet = select([server], [], 150);
  print('timed out with', quiet.readable.length, 'ready after', Math.round(performance.now() - started), 'ms');
  print('selecting');
  print('readable', select([server], [], 60_000).readable.includes(server));
  stayUntilKilled(); // exiting would close the listener on the unaccepted client, resetting its connect
}

export function selectClosed() {
  const server = listen(HOST, 0);
  close(server);
  try {
    select([server], [], 0);
  } catch (error) {
    report('select', error);
  }
}

/** Sends 8 MiB (more than loopback buffers hold) of `letter` on a connection another thread sends on too. */
export function sendLetters(conn: number, letter: string) {
  sendall(conn, Buffer.alloc(8 << 20, letter));
  print('sent', letter);
}

export function twoSenders() {
  const [conn] = accept(listen(HOST, 0));
  startThread(sendLetters, conn, 'a');
  sendLetters(conn, 'b');
  stayUntilKilled();
}

export function acceptUntilClosed(server: number) {
  try {
    accept(server);
  } catch (error) {
    report('accept', error);
  }
}

export function recvUntilClosed(conn: number) {
  try {
    print('recv returned', recv(conn, 100).byteLength, 'bytes');
  } catch (error) {
    report('recv', error);
  }
}

/** A thread blocked in accept and one blocked in recv; closing their sockets (once told to) wakes both. */
export function closeWakesBlocked() {
  const server = listen(HOST, 0);
  const [conn] = accept(server);
  startThread(acceptUntilClosed, server);
  startThread(recvUntilClosed, conn);
  awaitGoAhead();
  close(conn);
  close(server);
  stayUntilKilled();
}

export function consume(items: Queue | PriorityQueue, consumer: number) {
  try {
    for (;;) print('got', get<number | string>(items), 'by', consumer);
  } catch (error) {
    report(`get by ${consumer}`, error);
  }
}

/** Three consumers take 100 numbers off one queue, then find it closed. */
export function queueAcrossThreads() {
  const items = queue();
  for (let consumer = 0; consumer < 3; consumer++) startThread(consume, items, consumer);
  for (let i = 0; i < 100; i++) put(items, i);
  awaitGoAhead();
  close(items);
  stayUntilKilled();
}

/**
 * A priority queue across threads: 60 items, every third of priority 0 (p0, p3, …; the others
 * n1, n2, …), put before three consumers start taking them; then 300 more put while they take;
 * then, once told to, the queue is closed.
 */
export function priorityQueueAcrossThreads() {
  const items = priorityQueue();
  const putItem = (i: number) => (i % 3 === 0 ? put(items, `p${i}`, 0) : put(items, `n${i}`, 1));
  for (let i = 0; i < 60; i++) putItem(i);
  for (let consumer = 0; consumer < 3; consumer++) startThread(consume, items, consumer);
  for (let i = 60; i < 360; i++) putItem(i);
  awaitGoAhead();
  close(items);
  stayUntilKilled();
}

/** Listens with a backlog of 1 and never accepts. */
export function neverAccept() {
  listen(HOST, 0, 1);
  stayUntilKilled();
}

/** A started thread's whole job: say it ran. */
export function ran(done: Queue) {
  put(done, 'ran');
}

/**
 * Threads started in bursts, more at once than there are spares, each ending at once: a spare is
 * often claimed the moment it becomes one, which is when a careless hand-over loses the job.
 */
export function startsInBursts() {
  const done = queue();
  for (let round = 0; round < 100; round++) {
    for (let i = 0; i < 30; i++) startThread(ran, done);
    for (let i = 0; i < 30; i++) get(done);
  }
  print('all ran');
}
