/** Runs one program of programs.ts as a server process would: `node host.js <program>`. */
import path from 'node:path';
import { runProgram } from '../../servers/runtime/threads';

runProgram(path.join(__dirname, 'programs.js'), process.argv[2], [], {
  ahead: 4,
  events: false,
  onThreadError: (thread, error) => process.stderr.write(`thread ${thread}: ${error.message}\n`),
}).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
