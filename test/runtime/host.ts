/** Runs one program of programs.ts as a server process would: `node host.js <program>`. */
import path from 'node:path';
import { MAX_THREADS } from '../../servers/models';
import { runProgram } from '../../servers/runtime/threads';

let status = 0;
runProgram(path.join(__dirname, 'programs.js'), process.argv[2], [], {
  ahead: 4,
  maxThreads: MAX_THREADS,
  events: false,
  onProgramError: (error) => {
    process.stderr.write(`${error.stack}\n`);
    status = 1;
  },
  onThreadError: (thread, error) => process.stderr.write(`thread ${thread}: ${error.message}\n`),
}).then(
  () => process.exit(status),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
