import { close, print, recv, sendall, timestamp } from '../runtime/os';

/** Echoes everything one client sends until it disconnects: the article's handle_client. */
export function handleClient(conn: number, peer: string) {
  for (;;) {
    const data = recv(conn, 4096);
    if (data.byteLength === 0) break;
    sendall(conn, data);
  }
  print('Disconnected from -----', peer, 'at', timestamp());
  close(conn);
}
