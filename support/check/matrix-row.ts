/**
 * Checks one row of the table in a process of its own (see measureRow): `node
 * matrix-row.js <host> <port> <tickMs>`, answering on its IPC channel. If the process that asked goes
 * away, the channel closes and this one ends too.
 */
import { checkRow } from './matrix';

process.once('disconnect', () => process.exit(1));
const [host, port, tickMs] = process.argv.slice(2);
void checkRow({ host, port: Number(port) }, Number(tickMs)).then((row) => process.send!(row, () => process.disconnect()));
