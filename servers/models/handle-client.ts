import { timestamp } from '../../core/timestamp';
import { close, OSError, print, recv, sendall } from '../runtime/os';

/** Echoes everything one client sends until it disconnects: the article's handle_client. */
export function handleClient(conn: number, peer: string) {
  try {
    for (;;) {
      const data = recv(conn, 4096);
      if (data.byteLength === 0) break;
      sendall(conn, data);
    }
  } catch (error) {
    // a client that reset its connection has left, just as one that closed it
    if (!(error instanceof OSError)) throw error;
  }
  print('Disconnected from -----', peer, 'at', timestamp());
  close(conn);
}
