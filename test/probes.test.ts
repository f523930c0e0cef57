/** classify's probes against servers that die under them: every probe still ends, and the crash is noted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observe } from '../support/probes';
import { Session, type ServerCommand } from '../support/session';

const TICK_MS = 20;

/** An echo server that dies as soon as any client leaves: echolab's own check that its port is open kills it. */
const DIES_WHEN_A_CLIENT_LEAVES: ServerCommand = {
  command: [
    process.execPath,
    '-e',
    "require('net').createServer((s) => s.on('close', () => { console.error('Error: a client left'); process.exit(1); }).pipe(s)).listen(Number(process.argv[1]), '127.0.0.1')",
    '{port}',
  ],
};

describe('observe, against a server that dies under every probe', { timeout: 60_000 }, () => {
  it('restarts it for each probe after a crash, ends every probe, and notes the first crash with its last words', async () => {
    const session = new Session(TICK_MS);
    try {
      await session.startCommand(DIES_WHEN_A_CLIENT_LEAVES);
      const seen = await observe(session, () => session.startCommand(DIES_WHEN_A_CLIENT_LEAVES));
      assert.equal(seen.crash?.probe, 'crowd');
      assert.match(seen.crash?.how ?? '', /exited with status 1 .*: Error: a client left$/);
      assert.equal(seen.servedAtOnce, 0);
    } finally {
      await session.close();
    }
  });
});
