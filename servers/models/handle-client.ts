import { timestamp } from '../../core/timestamp';
import { monotonicMs } from '../event-log';
import { nextDeadline, noteReceived, servedFrom, type Deadline, type Limits } from '../limits';
import { close, OSError, print, recv, sendall } from '../runtime/os';

/**
 * Echoes everything one client sends until it disconnects: the article's handle_client. With
 * limits (serve --idle-timeout, --max-lifetime, --min-rate), each wait for the client's next
 * bytes lasts only until the earliest deadline, and a client still silent then is cut off.
 */
export function handleClient(conn: number, peer: string, limits: Limits = {}) {
  const progress = servedFrom(monotonicMs());
  let deadline: Deadline | undefined;
  let cutOff = false;
  try {
    for (;;) {
      deadline = nextDeadline(limits, progress);
      const data = recv(conn, 4096, deadline && deadline.at - monotonicMs()); // ETIMEDOUT once the deadline passes
      if (data.byteLength === 0) break;
      noteReceived(progress, data.byteLength, monotonicMs());
      sendall(conn, data);
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
