/**
 * `echolab clients` is the article's client program: against a sequential server it prints
 * the lines the article's program prints, in the same order and with the same pauses. Both
 * run at once, each against a sequential server of its own, with a pause of one tick, and
 * what each printed is compared client by client: the ticks between one line and the next.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { ECHOLAB_BIN, PACKAGE_DIR } from '../core/paths';
import { stopAllProcesses } from '../support/processes';
import { Session } from '../support/session';

const run = promisify(execFile);
/**
 * The tick: a line may come up to half of it late and still round to the same tick. Both
 * programs run beside the specs, on a busy machine: at 400 ms, a line of the article's
 * program came more than 200 ms late in one gate run of thirty.
 */
const TICK_MS = 800;
const ARTICLE_CLIENT = path.join(PACKAGE_DIR, 'test', 'fixtures', 'python', 'article_client.py');

/** One printed line: which client, what it did, and when (seconds of the day). */
interface Line {
  client: string;
  what: string;
  at: number;
}

const LINE = /^\t*(?:Client (trying to connect|connected):\s+-+ CLIENT (\w+)|CLIENT (\w+) (is sending message|received message|is disconnected)).* at (?:\S+ )?(\d\d):(\d\d):(\d\d(?:\.\d+)?)$/;

function parse(output: string): Line[] {
  return output.split('\n').filter((line) => line.includes('CLIENT')).map((line) => {
    const match = LINE.exec(line);
    assert.ok(match, `not a line of the client program: ${JSON.stringify(line)}`);
    const [, connecting, connectingClient, client, what, h, m, s] = match;
    return { client: connectingClient ?? client, what: connecting ?? what, at: Number(h) * 3600 + Number(m) * 60 + Number(s) };
  });
}

/**
 * Each client's lines in the order the server served them (by their first echo), each as what
 * it did and how many ticks after its previous line (the first: after the program's first line).
 */
function paced(lines: Line[]): string[][] {
  const start = Math.min(...lines.map(({ at }) => at));
  const clients = [...new Set(lines.map(({ client }) => client))];
  const firstEcho = (client: string) => lines.find((line) => line.client === client && line.what === 'received message')?.at ?? Infinity;
  return clients.sort((a, b) => firstEcho(a) - firstEcho(b)).map((client) => {
    let previous = start;
    return lines.filter((line) => line.client === client).map(({ what, at }) => {
      const ticks = Math.round(((at - previous) * 1000) / TICK_MS);
      previous = at;
      return `${what} +${ticks}`;
    });
  });
}

const sessions: Session[] = [];

/** A sequential server of echolab's, on a port of its own. */
async function sequentialServer(): Promise<number> {
  const session = new Session(TICK_MS);
  sessions.push(session);
  await session.startModel('sequential');
  return session.serverAddress!.port;
}

describe("echolab clients, beside the article's client program", { timeout: 60_000 }, () => {
  after(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await stopAllProcesses();
  });

  it('prints the same lines with the same pauses against a sequential server', async () => {
    const [article, echolab] = await Promise.all([sequentialServer(), sequentialServer()]);
    const [theirs, ours] = await Promise.all([
      run('python3', [ARTICLE_CLIENT, '--port', String(article), '--pause', String(TICK_MS / 1000)]),
      run(process.execPath, [ECHOLAB_BIN, 'clients', '--port', String(echolab), '--tick-ms', String(TICK_MS)]),
    ]);
    const expected = paced(parse(theirs.stdout));
    assert.deepEqual(paced(parse(ours.stdout)), expected);
    // the article's picture: the last client's first echo comes once the two before it have been served
    assert.deepEqual(expected[2], ['trying to connect +0', 'connected +0', 'is sending message +1', 'received message +5', 'is sending message +1', 'received message +1', 'is disconnected +0']);
  });
});
