/** What `echolab cost` prints of a probe: the steps as a table, the growth per connection, and what it looks like. */
import { renderMarkdownTable } from '../markdown-table';
import type { CostProbe } from './probe';
import { memory } from './verdict';

const MIB = 1024 ** 2;
/** Why a thread per client may grow by less than one per connection, and what to do about it. */
const STARTED_AHEAD =
  'A server that keeps threads started ahead (a thread cache: echolab\'s own thread-per-client keeps 32) ' +
  'costs a thread per client only once those are in use: measure from more connections than it keeps spare.';

export function costPrintout({ pid, command, host, port, steps, slopes, verdict, tookMs }: CostProbe): string {
  const table = renderMarkdownTable(
    ['idle connections', 'OS threads', 'processes', 'memory (MiB, PSS)', 'fds'],
    steps.map(({ connections, sample }) => [connections, sample.threads, sample.processes, (sample.pssBytes / MIB).toFixed(1), sample.fds].map(String)),
  );
  const perConnection =
    `Per connection: ${slopes.threadsPerConnection.toFixed(2)} OS threads, ${slopes.processesPerConnection.toFixed(2)} processes, ` +
    `${memory(slopes.memoryBytesPerConnection)} of memory, ${slopes.fdsPerConnection.toFixed(2)} fds`;
  return [
    `The server at ${host}:${port}: pid ${pid} (${command}) and the processes under it`,
    '',
    table,
    '',
    perConnection,
    `${verdict.sentence}.`,
    ...(verdict.looksLike === 'threads that grow, but not one per client' ? [STARTED_AHEAD] : []),
    `Measured in ${(tookMs / 1000).toFixed(2)} s.`,
  ].join('\n');
}
