/**
 * Checks one row of the table in a process of its own (see checkAgainstEveryModel): `node
 * matrix-row.js <server> <tickMs>`, answering on its IPC channel. If the process that asked goes
 * away, the channel closes and this one ends too, stopping the servers it started.
 */
import type { ModelName } from '../../core/models';
import { checkRow } from './matrix';

process.once('disconnect', () => process.exit(1));
const [server, tickMs] = process.argv.slice(2);
void checkRow(server as ModelName, Number(tickMs)).then((row) => process.send!(row, () => process.disconnect()));
