/** Checks one row of the table on a thread of its own (see checkAgainstEveryModel). */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelName } from '../../servers/models';
import { checkRow } from './matrix';

const { server, tickMs } = workerData as { server: ModelName; tickMs: number };
void checkRow(server, tickMs).then((row) => parentPort!.postMessage(row));
