/**
 * The timeline: everything that happened in one run, from every process, on one clock.
 *
 * Times are milliseconds of the machine's monotonic clock (`process.hrtime.bigint()`
 * divided by 1e6), which is the same clock in every process, so client events recorded
 * by the harness and server events read from a server's event log can be merged and sorted.
 */

/** What a scripted client saw. Only these are allowed in black-box assertions. */
export type ClientEventKind =
  | 'connecting' // the client called connect()
  | 'connected' //  the TCP handshake completed (the server's backlog holds it; nobody may have accepted it yet)
  | 'send' //       the client handed a message to its socket
  | 'echo' //       the whole echo of that message arrived (to classify's probes: the first bytes of an answer to it, right or wrong)
  | 'closed' //     the client closed its side
  | 'error'; //     the connection failed or was reset

/** What a server's event log (`--events`) said: the servers' own schema. Only for `@white-box` assertions. */
import type { ServerEventKind } from '../../servers/event-log';

export type { ServerEventKind };

export interface ClientEvent {
  source: 'client';
  kind: ClientEventKind;
  /** ms, monotonic clock */
  t: number;
  /** the client's name, e.g. "A"; one lane per client */
  client: string;
  /** the message, for send/echo (printable text or a short description of a binary payload) */
  message?: string;
  bytes?: number;
  /** for 'error': the error code, e.g. ECONNRESET */
  code?: string;
  /** for an 'error' that the echo caused (EECHO_MISMATCH, or EOF: the server closed while the client was there): what was wrong with it, in words */
  wrongEcho?: string;
  /** for 'connected': the client's local port, which the server sees as its peer's port */
  localPort?: number;
  /** for 'connected' and 'echo': how many segments TCP had sent again on the connection by then */
  resent?: number;
  /** for 'connecting': false for a client that never reads its echoes (it only sends) */
  readsEchoes?: boolean;
  /** for 'closed': true where the client reset the connection rather than closing it */
  reset?: boolean;
}

export interface ServerEvent {
  source: 'server';
  kind: ServerEventKind;
  t: number;
  /** the server thread that made the call (0 is the first program thread) */
  thread: number;
  /** the server's number for the connection */
  conn: number;
  /** the name of the client on the other end, once matched by its local port; undefined if unknown */
  client?: string;
  bytes?: number;
}

export type TimelineEvent = ClientEvent | ServerEvent;

export interface Timeline {
  /** ms; the moment the scenario's clients were started, the zero of every chart */
  origin: number;
  /** how many ms one tick lasts in this run */
  tickMs: number;
  /** the client names in lane order */
  clients: string[];
  /** every event, sorted by t (stable for equal t) */
  events: TimelineEvent[];
  /**
   * ms: the worst lateness of the harness's own timers while its clients ran (a busy machine
   * may not run it for a while). Its clients' events may be stamped that much late, and their
   * messages sent that late: time lost to the harness, not to the server.
   */
  harnessLateMs?: number;
  /** whether the service answered newcomers, one every tick, as tools that test for slow attacks report it; absent where nobody asked */
  service?: ServiceProbe[];
}

/** A newcomer that connected at `t`, sent one message, and was answered within a tick, or not. */
export interface ServiceProbe {
  t: number;
  answered: boolean;
}
