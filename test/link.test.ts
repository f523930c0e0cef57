/**
 * A server whose round trips take a large part of a tick (one on another host) is not judged on
 * time: `check` and `classify` measure a few round trips first and, if they are too long for
 * the tick, say so in one line and suggest a tick. The advice is pure; the commands are run
 * against a real echo server behind a relay that holds every chunk 25 ms each way.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ECHOLAB_BIN } from '../core/paths';
import { slowLinkAdvice } from '../support/link';
import { stopAllProcesses } from '../support/processes';
import { Session } from '../support/session';

const run = promisify(execFile);
const HELD_MS = 25;

describe('slowLinkAdvice', () => {
  it('says nothing while the fastest round trip is a tenth of a tick or less, however late the others came back', () => {
    assert.equal(slowLinkAdvice([0.2, 0.3, 12, 0.2, 0.4], 100, 'h:1'), undefined);
    assert.equal(slowLinkAdvice([10.3, 14, 9.8, 25, 11], 100, 'h:1'), undefined);
    assert.equal(slowLinkAdvice([10, 10, 10], 100, 'h:1'), undefined);
  });

  it('names the fastest round trip and a tick ten times it, in hundreds of ms', () => {
    assert.equal(
      slowLinkAdvice([41, 39.5, 45, 41, 40], 100, '10.0.0.5:7000'),
      "a round trip to 10.0.0.5:7000 takes 39.5 ms, more than a tenth of a 100 ms tick: the scenarios would fail on the link's account, not the server's; run again with --tick-ms 400 or more",
    );
    assert.match(slowLinkAdvice([3000, 3000, 3000], 1000, 'h:1') ?? '', /--tick-ms 10000 or more$/);
  });
});

/** A relay to `port` that holds each chunk HELD_MS before passing it on, either way: a slow link on loopback. */
function slowRelay(port: number): Promise<net.Server> {
  const held = (from: net.Socket, to: net.Socket) => from.on('data', (chunk) => setTimeout(() => to.write(chunk), HELD_MS));
  const relay = net.createServer((client) => {
    const server = net.connect(port, '127.0.0.1');
    held(client, server);
    held(server, client);
    for (const [a, b] of [[client, server], [server, client]]) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  return new Promise((resolve) => relay.listen(0, '127.0.0.1', () => resolve(relay)));
}

describe('check and classify, over a slow link', { timeout: 60_000 }, () => {
  const session = new Session(100);
  let relay: net.Server;
  let relayPort: number;
  before(async () => {
    await session.startModel('async');
    relay = await slowRelay(session.serverAddress!.port);
    relayPort = (relay.address() as net.AddressInfo).port;
  });
  after(async () => {
    relay.close();
    await session.close();
    await stopAllProcesses();
  });

  for (const command of [['check', '--model', 'async'], ['classify']]) {
    it(`${command[0]} says the link is too slow for the tick, suggests one, and exits 2`, async () => {
      const failed = await run(process.execPath, [ECHOLAB_BIN, ...command, '--port', String(relayPort)], { env: { ...process.env, ECHOLAB_TICK_MS: '' } }).then(
        () => assert.fail('it ran'),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      assert.equal(failed.code, 2);
      assert.match(failed.stderr, /^echolab: a round trip to 127\.0\.0\.1:\d+ takes \d+\.\d ms, more than a tenth of a 100 ms tick: .*; run again with --tick-ms \d+00 or more\n$/);
      assert.equal(failed.stdout, '', 'nothing was judged');
    });
  }
});
