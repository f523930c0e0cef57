#!/usr/bin/env node
'use strict';
// The compiled command lives in dist/ (built by `npm ci` through the prepare script).
let main;
try {
  ({ main } = require('../dist/cli/main.js'));
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  process.stderr.write('echolab: not built yet; run `npm run build` in the echolab folder\n');
  process.exit(2);
}
// Output piped into a reader that has stopped (`echolab --help | head -1`): stop quietly, as other commands do.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
// A command that ends without an answer (its work left nothing to wait for, yet never finished) is a failure.
process.exitCode = 70;
// Exit once the command has answered: a server's threads may still be blocked in system calls.
main({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
  .then((code) => process.exit(code));
