/**
 * The white-box event log (`echolab serve --events`): one JSON line per thing a server
 * program did with a connection. Lines are stamped with the monotonic clock, which every
 * process on the machine shares, so a harness can merge them with its clients' events.
 */
import type { ServerEventKind } from '../support/timeline/types';

export type EventLog = (kind: ServerEventKind, thread: number, conn: number, fields?: { peer?: string; bytes?: number }) => void;

/** A log that writes its lines to `out`, or, when events are off, one that writes nothing. */
export function eventLog(out: NodeJS.WritableStream, enabled: boolean): EventLog {
  if (!enabled) return () => {};
  return (kind, thread, conn, fields = {}) => {
    const t = Number(process.hrtime.bigint()) / 1e6;
    out.write(JSON.stringify({ t, kind, thread, conn, ...fields }) + '\n');
  };
}
