/**
 * The /proc parsers of the cost probe (support/cost/proc.ts), on files copied from real
 * processes: a Python thread per client, Node, and socat forking a process per client
 * (test/fixtures/proc/README.md says how each was made).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { countOpenFiles, listeningInodes, parseSmapsRollup, parseStatPpid, parseStatus, parseTaskStat, parseTcpTable, socketInode, TCP_LISTEN } from '../support/cost/proc';

const PROC = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'proc');
const read = (file: string) => fs.readFileSync(path.join(PROC, file), 'utf8');
const fdTargets = (process: string) => read(`${process}/fd-targets`).split('\n').filter((line) => line !== '');
const KIB = 1024;

describe('/proc/PID/status', () => {
  it('gives the threads, the resident and mapped memory in bytes and the parent', () => {
    assert.deepEqual(parseStatus(read('python-thread-per-client/status')), { threads: 4, rssBytes: 14876 * KIB, sizeBytes: 239456 * KIB, ppid: 8377 });
    assert.deepEqual(parseStatus(read('node/status')), { threads: 7, rssBytes: 43288 * KIB, sizeBytes: 728780 * KIB, ppid: 8377 });
    assert.deepEqual(parseStatus(read('socat-child/status')), { threads: 1, rssBytes: 2500 * KIB, sizeBytes: 10344 * KIB, ppid: 8385 });
  });

  it('leaves the resident memory out for a process that has none (a zombie, a kernel thread)', () => {
    const zombie = read('socat-child/status').split('\n').filter((line) => !line.startsWith('Vm') && !line.startsWith('Rss')).join('\n');
    assert.deepEqual(parseStatus(zombie), { threads: 1, ppid: 8385 });
  });

  it('throws on text that is not a status file', () => {
    assert.throws(() => parseStatus('Name:\tpython3\n'), /no Threads/);
  });
});

describe('/proc/PID/smaps_rollup', () => {
  it('gives the proportional memory, of it the anonymous, and the resident memory in bytes', () => {
    assert.deepEqual(parseSmapsRollup(read('python-thread-per-client/smaps_rollup')), { pssBytes: 8805 * KIB, pssAnonBytes: 7984 * KIB, rssBytes: 14876 * KIB });
    assert.deepEqual(parseSmapsRollup(read('socat-child/smaps_rollup')), { pssBytes: 510 * KIB, pssAnonBytes: 302 * KIB, rssBytes: 2500 * KIB });
  });

  it('leaves the anonymous memory out where the kernel does not split it (before Linux 5.13)', () => {
    const older = read('socat-child/smaps_rollup').split('\n').filter((line) => !line.startsWith('Pss_')).join('\n');
    assert.deepEqual(parseSmapsRollup(older), { pssBytes: 510 * KIB, rssBytes: 2500 * KIB });
  });
});

describe('/proc/PID/stat', () => {
  it('gives the parent', () => {
    assert.equal(parseStatPpid(read('python-thread-per-client/stat')), 8377);
    assert.equal(parseStatPpid(read('socat-child/stat')), 8385);
  });

  it('finds it after a name that holds spaces and parentheses', () => {
    assert.match(read('odd-name/stat'), /^\d+ \(my \(odd\) name\) S 8377 /);
    assert.equal(parseStatPpid(read('odd-name/stat')), 8377);
  });
});

describe('/proc/PID/task/TID/stat', () => {
  it("gives a thread's state and the CPU it used, user and system together", () => {
    assert.deepEqual(parseTaskStat(read('tasks/running')), { state: 'R', cpuTicks: 5 });
    assert.deepEqual(parseTaskStat(read('tasks/sleeping')), { state: 'S', cpuTicks: 0 });
  });
});

describe('the links of /proc/PID/fd', () => {
  it('name a socket by its inode, and nothing else', () => {
    assert.equal(socketInode('socket:[999092]'), 999092);
    for (const other of ['pipe:[999040]', 'anon_inode:[eventpoll]', '/dev/null']) assert.equal(socketInode(other), undefined, other);
  });

  it('are counted, sockets apart', () => {
    assert.deepEqual(countOpenFiles(fdTargets('python-thread-per-client')), { fds: 9, sockets: 4 });
    assert.deepEqual(countOpenFiles(fdTargets('node')), { fds: 23, sockets: 3 });
    assert.deepEqual(countOpenFiles(fdTargets('socat-child')), { fds: 10, sockets: 5 });
  });
});

describe('/proc/net/tcp and tcp6', () => {
  const tcp = parseTcpTable(read('net/tcp'));
  const tcp6 = parseTcpTable(read('net/tcp6'));

  it('reads every socket, with its addresses, ports, state and inode', () => {
    assert.equal(tcp.length, read('net/tcp').trim().split('\n').length - 1);
    assert.deepEqual(
      tcp.find((socket) => socket.inode === 999093),
      { localAddress: '127.0.0.1', localPort: 41001, remoteAddress: '127.0.0.1', remotePort: 56752, state: 0x01, inode: 999093 },
    );
    assert.deepEqual(
      tcp6.find((socket) => socket.inode === 998326),
      { localAddress: '::1', localPort: 41002, remoteAddress: '::1', remotePort: 43508, state: 0x01, inode: 998326 },
    );
  });

  it('reads the addresses a socket listens on: 127.0.0.1, 0.0.0.0, :: and ::1', () => {
    const listening = [...tcp, ...tcp6].filter((socket) => socket.state === TCP_LISTEN).map((socket) => `${socket.localAddress} ${socket.localPort}`);
    assert.deepEqual(listening.sort(), ['0.0.0.0 41004', '127.0.0.1 41001', '127.0.0.1 41003', ':: 41002', '::1 41005']);
  });

  it('gives the inode of the socket listening on a port, over IPv4 and IPv6', () => {
    const all = [...tcp, ...tcp6];
    assert.deepEqual(listeningInodes(all, 41001), [999092]); // not its connections, nor those closing (TIME_WAIT)
    assert.deepEqual(listeningInodes(all, 41002), [999068]);
    assert.deepEqual(listeningInodes(all, 41004), [998084]);
    assert.deepEqual(listeningInodes(all, 41005), [998085]);
    assert.deepEqual(listeningInodes(all, 41006), []);
  });

  it('finds that inode among the open files of the process that listens, and not among its forks', () => {
    const all = [...tcp, ...tcp6];
    const holds = (process: string, port: number) => fdTargets(process).map(socketInode).includes(listeningInodes(all, port)[0]);
    assert.ok(holds('python-thread-per-client', 41001));
    assert.ok(holds('node', 41002));
    assert.ok(holds('socat-listener', 41003));
    assert.ok(!holds('socat-child', 41003));
  });
});
