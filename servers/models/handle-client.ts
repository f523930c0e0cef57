import { timestamp } from '../../core/timestamp';
import { monotonicMs } from '../event-log';
import { anyLimit, nextDeadline, noteReceived, servedFrom, type Deadline, type Limits } from '../limits';
import { close, OSError, print, recvInto, sendall } from '../runtime/os';

/**
 * Echoes everything one client sends until it disconnects: the article's handle_client. With
 * limits (serve --idle-timeout, --max-lifetime, --min-rate), each wait for the client's next
 * bytes lasts only until the earliest deadline, and a client still silent then is cut off.
 */
export function handleClient(conn: number, peer: string, limits: Limits = {}) {
  const limited = anyLimit(limits);
  const progress = servedFrom(monotonicMs());
  let deadline: Deadline | undefined;
  let cutOff = false;
  const buffer = new Uint8Array(4096); // each echo is sent before the next is received into it
  try {
    for (;;) {
      deadline = limited ? nextDeadline(limits, progress) : undefined;
      const received = recvInto(conn, buffer, deadline && deadline.at - monotonicMs()); // ETIMEDOUT once the deadline passes
      if (received === 0) break;
      if (limited) noteReceived(progress, received, monotonicMs());
      sendall(conn, buffer.subarray(0, received));
    }
  } catch (error) {
    // a client that reset its connection has left, just as one that closed it
    if (!(error instanceof OSError)) throw error;
    cutOff = error.code === 'ETIMEDOUT' && deadline !== undefined;
  }
  if (cutOff) print('Cut off           -----', peer, 'at', timestamp(), `(${deadline!.limit})`);
  else print('Disconnected from -----', peer, 'at', timestamp());
  close(conn);
}
