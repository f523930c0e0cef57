/**
 * The white-box event log (`echolab serve --events`): one JSON line per thing a server
 * program did with a connection. Lines are stamped with the monotonic clock, which every
 * process on the machine shares, so a harness can merge them with its clients' events.
 * This is the servers' own schema; a harness reads it.
 */

export type ServerEventKind =
  | 'accepted' // accept() returned this connection to the program
  | 'recv' //     recv() returned bytes (or EOF, bytes = 0)
  | 'send' //     sendall() finished
  | 'closed'; //  the program closed the connection

export const SERVER_EVENT_KINDS: readonly ServerEventKind[] = ['accepted', 'recv', 'send', 'closed'];

export interface ServerEventFields {
  peer?: string;
  bytes?: number;
}

export type EventLog = (kind: ServerEventKind, thread: number, conn: number, fields?: ServerEventFields) => void;

/** The monotonic clock in ms, as every event is stamped. */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

/** One event as its line (newline included), stamped now. */
export function eventLine(kind: ServerEventKind, thread: number, conn: number, fields: ServerEventFields = {}): string {
  return JSON.stringify({ t: monotonicMs(), kind, thread, conn, ...fields }) + '\n';
}

/** A log that writes each line with `write`, or, when events are off, one that writes nothing. */
export function eventLog(write: (line: string) => void, enabled: boolean): EventLog {
  if (!enabled) return () => {};
  return (kind, thread, conn, fields) => write(eventLine(kind, thread, conn, fields));
}
