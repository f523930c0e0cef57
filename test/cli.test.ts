/**
 * The `echolab` command line: help for every command, one line and status 2 for a mistake,
 * and `--host` looked up once. Run in-process through main(), with its output captured.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { wantsColour } from '../cli/demo';
import { main } from '../cli/main';
import { resolveHost } from '../cli/server-command';
import { EcholabError } from '../core/errors';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function echolab(...argv: string[]): Promise<Ran> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await main({ argv, stdout, stderr, env: {}, cwd: process.cwd() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const MODEL_NAMES = ['sequential', 'thread-per-client', 'thread-pool', 'multiplexing', 'async'];
const COMMANDS = ['serve', 'clients', 'demo', 'check', 'classify', 'cost'];

describe('echolab with no command, or --help', () => {
  it('with nothing, writes the overview on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await echolab();
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^Usage: echolab <command>/);
    for (const command of COMMANDS) assert.match(stderr, new RegExp(`^  ${command} `, 'm'));
  });

  it('with --help, writes the same overview on stdout and exits 0', async () => {
    const bare = await echolab();
    const { code, stdout, stderr } = await echolab('--help');
    assert.equal(code, 0);
    assert.equal(stderr, '');
    assert.equal(stdout, bare.stderr);
  });

  it("with --version, writes the package's version and exits 0", async () => {
    const { code, stdout } = await echolab('--version');
    assert.equal(code, 0);
    assert.equal(stdout, `${(require('../../package.json') as { version: string }).version}\n`);
  });
});

describe('every command answers --help', () => {
  for (const command of COMMANDS) {
    it(`${command} --help: what it does and its options, on stdout, status 0`, async () => {
      const { code, stdout, stderr } = await echolab(command, '--help');
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '');
      assert.match(stdout, new RegExp(`^Usage: echolab ${command} `));
      assert.match(stdout, /^Options:$/m);
    });
  }

  it('gives each option its default', async () => {
    const defaults: [string, RegExp][] = [
      ['serve', /--port <n>\s+the port[^]*\(default:\s+12345\)/],
      ['serve', /--workers <n>[^]*\(default:\s+2\)/],
      ['serve', /--backlog <n>[^]*\(default:\s+128\)/],
      ['serve', /--spare-threads <n>[^]*\(default:\s+32\)/],
      ['serve', /--max-threads <n>[^]*\(default:\s+1024\)/],
      ['serve', /--min-rate-grace <ms>[^]*\(default:\s+5000\)/],
      ['clients', /--count <n>[^]*\(default:\s+3\)/],
      ['clients', /--tick-ms <ms>[^]*else 1000\)/],
      ['demo', /--tick-ms <ms>[^]*else 100\)/],
      ['check', /--workers <n>[^]*\(default:\s+2\)/],
      ['check', /--startup-timeout <n>[^]*\(default:\s+30\)/],
      ['classify', /--host <host>[^]*\(default:\s+"127\.0\.0\.1"\)/],
    ];
    for (const [command, option] of defaults) assert.match((await echolab(command, '--help')).stdout, option, command);
  });

  it('lists the models for the commands that name one', async () => {
    for (const command of ['serve', 'demo', 'check', 'classify']) {
      const { stdout } = await echolab(command, '--help');
      for (const model of MODEL_NAMES) assert.match(stdout, new RegExp(`^  ${model} `, 'm'), `${command} --help names ${model}`);
    }
  });

  it('leaves a --help after -- to the server command', async () => {
    const { code, stdout, stderr } = await echolab('check', '--model', 'sequential', '--', 'no-such-server', '--help', '{port}');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'echolab: command not found: no-such-server\n');
  });
});

describe('a mistake on the command line is one line and status 2', () => {
  const mistakes: [string[], string][] = [
    [['nope'], 'unknown command "nope"; the commands are: serve, clients, demo, check, classify, cost'],
    [['serve'], "serve: missing required argument 'model'; see echolab serve --help"],
    [['serve', 'round-robin'], 'unknown model "round-robin"; the models are: sequential, thread-per-client, thread-pool, multiplexing, async'],
    [['serve', 'sequential', '--prot', '1'], "serve: unknown option '--prot' (Did you mean --port?); see echolab serve --help"],
    [['serve', 'sequential', '--backlog', '0'], '--backlog must be a whole number from 1 to 65535, not "0"'],
    [['serve', 'sequential', '--backlog', 'abc'], '--backlog must be a whole number from 1 to 65535, not "abc"'],
    [['serve', 'sequential', '--port', '65536'], '--port must be a whole number from 0 to 65535, not "65536"'],
    [['serve', 'sequential', '--workers', '3'], '--workers applies only to thread-pool'],
    [['serve', 'thread-pool', '--spare-threads', '3'], '--spare-threads applies only to thread-per-client'],
    [['serve', 'thread-per-client', '--spare-threads', '0'], '--spare-threads must be a whole number from 1 to 1000, not "0"'],
    [['serve', 'thread-per-client', '--max-threads', '0'], '--max-threads must be a whole number from 1 to 1024, not "0"'],
    [['serve', 'sequential', '--max-threads', '1025'], '--max-threads must be a whole number from 1 to 1024, not "1025"'],
    [['serve', 'async', '--max-threads', '4'], '--max-threads applies only to the models on OS threads, not async'],
    [['serve', 'sequential', '--idle-timeout', '0'], '--idle-timeout must be a whole number from 1 to 86400000, not "0"'],
    [['serve', 'async', '--idle-timeout', '1.5'], '--idle-timeout must be a whole number from 1 to 86400000, not "1.5"'],
    [['serve', 'multiplexing', '--max-lifetime', '86400001'], '--max-lifetime must be a whole number from 1 to 86400000, not "86400001"'],
    [['serve', 'thread-pool', '--min-rate', 'fast'], '--min-rate must be a whole number from 1 to 1000000000, not "fast"'],
    [['serve', 'thread-per-client', '--min-rate', '100', '--min-rate-grace', '0'], '--min-rate-grace must be a whole number from 1 to 86400000, not "0"'],
    [['serve', 'sequential', '--min-rate-grace', '1000'], '--min-rate-grace applies only with --min-rate'],
    [['serve', 'multiplexing', '--priority-from', '127.0.0.2'], '--priority-from applies only to thread-pool'],
    [['serve', 'async', '--priority-from', '127.0.0.2'], '--priority-from applies only to thread-pool'],
    [['serve', 'thread-pool', '--priority-from', '127.0.0.256'], '--priority-from must be an IPv4 address such as 127.0.0.2, not "127.0.0.256"'],
    [['serve', 'thread-pool', '--priority-from', 'localhost'], '--priority-from must be an IPv4 address such as 127.0.0.2, not "localhost"'],
    [['serve', 'thread-pool', '--priority-from', '127.0.0.02'], '--priority-from must be an IPv4 address such as 127.0.0.2, not "127.0.0.02"'],
    [['clients', '--count', '0'], '--count must be a whole number from 1 to 52, not "0"'],
    [['demo', '--tick-ms', 'fast'], '--tick-ms must be a whole number of milliseconds from 10 to 10000, not "fast"'],
    [['demo', '--', 'sequential'], 'demo: nothing goes after --; see echolab demo --help'],
    [['check', '--', 'python3', 'x.py'], "check: required option '--model <model>' not specified; see echolab check --help"],
    [['check', '--model', 'sequential', 'x.py', '--', 'python3'], 'check: unexpected "x.py" before --; the server command goes after it, as in: echolab check --model sequential -- python3 my_server.py --port {port}'],
    [['check', '--model', 'all', '--idle-timeout', '500', '--', 'x'], "check: a remedy is judged on one model's scenarios: give --model, not all"],
    [['check', '--model', 'async', '--priority-from', '127.0.0.2', '--', 'x'], '--priority-from applies only to thread-pool'],
    [['check', '--model', 'sequential', '--min-rate-grace', '100', '--', 'x'], '--min-rate-grace applies only with --min-rate'],
    [['check', '--model', 'sequential', '--max-lifetime', '0', '--', 'x'], '--max-lifetime must be a whole number from 1 to 86400000, not "0"'],
    [['classify', '--startup-timeout', '0', '--', 'x'], '--startup-timeout must be a whole number from 1 to 600, not "0"'],
    [['check', '--model', 'sequential', '--messages', '/no/such/folder/m.ndjson', '--', 'x'], '--messages /no/such/folder/m.ndjson: cannot write there (ENOENT)'],
    [['check', '--model', 'sequential', '--junit', '/no/such/folder/j.xml', '--', 'x'], '--junit /no/such/folder/j.xml: cannot write there (ENOENT)'],
    [['classify', '--json', '/no/such/folder/c.json', '--', 'x'], '--json /no/such/folder/c.json: cannot write there (ENOENT)'],
    [['cost'], 'cost: no server; put its command after --, as in: echolab cost -- python3 my_server.py --port {port}, or give the --port of one that is running'],
    [['cost', '--connections', '10,5', '--', 'x'], '--connections must be at least two whole numbers from 0 to 10000, each larger than the one before, as in 0,10,100, not "10,5"'],
    [['cost', '--connections', '0,10001', '--', 'x'], '--connections must be at least two whole numbers from 0 to 10000, each larger than the one before, as in 0,10,100, not "0,10001"'],
    [['cost', '--connections', '100', '--', 'x'], '--connections must be at least two whole numbers from 0 to 10000, each larger than the one before, as in 0,10,100, not "100"'],
  ];
  for (const [argv, line] of mistakes) {
    it(argv.join(' '), async () => {
      const { code, stdout, stderr } = await echolab(...argv);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.equal(stderr, `echolab: ${line}\n`);
    });
  }
});

describe('resolveHost', () => {
  it('looks a name up once, to its IPv4 address', async () => {
    assert.equal(await resolveHost('localhost'), '127.0.0.1');
  });

  it('keeps an address as it is', async () => {
    assert.equal(await resolveHost('127.0.0.1'), '127.0.0.1');
    assert.equal(await resolveHost('::1'), '::1');
  });

  it('says in one line that a name cannot be looked up', async () => {
    await assert.rejects(resolveHost('nowhere.invalid'), (error: unknown) => {
      assert.ok(error instanceof EcholabError);
      assert.equal(error.code, 'ECHOLAB_USAGE');
      assert.equal(error.message, '--host nowhere.invalid: cannot look up that name (ENOTFOUND)');
      return true;
    });
  });
});

describe('the demo in colour', () => {
  const terminal = Object.assign(new Captured(), { isTTY: true });
  it('colours a terminal, not a pipe; NO_COLOR turns it off and FORCE_COLOR on', () => {
    assert.equal(wantsColour(terminal, {}), true);
    assert.equal(wantsColour(new Captured(), {}), false);
    assert.equal(wantsColour(terminal, { NO_COLOR: '1' }), false);
    assert.equal(wantsColour(terminal, { TERM: 'dumb' }), false);
    assert.equal(wantsColour(new Captured(), { FORCE_COLOR: '1' }), true);
    assert.equal(wantsColour(terminal, { FORCE_COLOR: '0' }), false);
  });
});
