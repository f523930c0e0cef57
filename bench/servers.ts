/**
 * The servers the benchmark runs side by side. Each is a command that listens on the port it
 * is given (0: one it picks) and prints `listening on 127.0.0.1:<port>` first, so that every
 * one of them is started, found and driven the same way.
 */
import path from 'node:path';
import { serveCommandLine } from '../core/models';
import { PACKAGE_DIR } from '../core/paths';
import type { ReportServer } from './report';

export interface BenchServer extends ReportServer {
  command: string[];
  /** how many clients it serves at once, if not all: the rest wait in its queue */
  servedAtOnce?: number;
}

const PYTHON_DIR = path.join(PACKAGE_DIR, 'bench', 'python');

const python = (file: string) => ['python3', path.join(PYTHON_DIR, file), '--port', '0'];

/** The key of the plain Node echo, which shows the load generator's ceiling. */
export const CEILING = 'node-pipe';

/**
 * echolab's blocking models that can serve many clients at once (sequential serves one, so a
 * concurrent load tells nothing about it), echolab's async, the same two loops written in
 * Python, an asyncio server in Python, and the plain Node echo.
 */
export function benchServers(workers: number): BenchServer[] {
  return [
    { key: 'thread-per-client', label: 'echolab thread-per-client', command: serveCommandLine('thread-per-client') },
    { key: 'thread-pool', label: `echolab thread-pool (${workers} workers)`, command: serveCommandLine('thread-pool', { workers }), servedAtOnce: workers },
    { key: 'multiplexing', label: 'echolab multiplexing', command: serveCommandLine('multiplexing') },
    { key: 'async', label: 'echolab async', command: serveCommandLine('async') },
    { key: 'python-threads', label: 'Python thread per client', command: python('thread_per_client.py') },
    { key: 'python-selectors', label: 'Python selectors loop', command: python('selectors_loop.py') },
    { key: 'python-asyncio', label: 'Python asyncio', command: python('asyncio_echo.py') },
    { key: CEILING, label: 'Node net, socket.pipe(socket)', command: [process.execPath, path.join(__dirname, 'pipe-echo.js')] },
  ];
}
