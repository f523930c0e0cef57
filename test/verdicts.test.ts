import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as verdicts from '../support/verdicts';
import {
  allAtOnce,
  articleClient,
  at,
  articleConnection,
  client,
  heldUpByS,
  lateClient,
  resetBesideS,
  sequential as sequentialLog,
  servedBesideS,
  servedInTurnBesideSAndT,
  sLeavesThenT,
  timeline,
  withFirstMessageResent,
} from './hand-built';

// A sequential server as it really looks: each client's first echo a little after the one before it left.
const sequential = timeline([...articleClient('A', 1), ...articleClient('B', 3.2), ...articleClient('C', 5.4)]);
// A pool of two: C's first echo a little after A left.
const poolOfTwo = timeline([...articleClient('A', 1.1), ...articleClient('B', 1.1, 0.5), ...articleClient('C', 3.3)]);
// A server that took the last client first: C served before B, though B connected first.
const lastComeFirst = timeline([...articleClient('A', 1), ...articleClient('C', 3.2), ...articleClient('B', 5.4)]);
// C never answered at all.
const silentOnC = timeline([...articleClient('A', 1), ...articleClient('B', 1), ...client('C', [['connecting', 0], ['connected', 0], ['send', 1, 'Hello']])]);

describe('servedAtOnce', () => {
  it('holds when exactly that many clients overlap', () => {
    assert.equal(verdicts.servedAtOnce(sequential, 1), undefined);
    assert.equal(verdicts.servedAtOnce(poolOfTwo, 2), undefined);
    assert.equal(verdicts.servedAtOnce(allAtOnce, 3), undefined);
  });

  it('says how many were served at once when it is more or fewer', () => {
    assert.equal(verdicts.servedAtOnce(allAtOnce, 2), '3 client(s) were served at the same time, not 2');
    assert.equal(verdicts.servedAtOnce(sequential, 2), '1 client(s) were served at the same time, not 2');
  });

  it('names a client that never got an echo', () => {
    assert.equal(verdicts.servedAtOnce(silentOnC, 2), 'client C never got an echo');
  });

  it('says what was wrong with an echo that ended a connection, before anything about who was served', () => {
    const hungUp = `the server closed client A's connection after the first echo, before A had closed it`;
    const closedEarly = timeline([
      ...client('A', [['connecting', 0], ['connected', 0], ['send', 1, 'Hello'], ['echo', 1.1, 'Hello']]),
      { source: 'client', client: 'A', kind: 'error', t: at(1.11), code: 'EOF', wrongEcho: hungUp },
      ...articleClient('B', 1.1),
      ...articleClient('C', 1.1),
    ]);
    assert.equal(verdicts.servedAtOnce(closedEarly, 3), hungUp);
    assert.equal(verdicts.noClientWaitsForAnother(closedEarly), hungUp);
  });
});

describe('firstEchoAfterOneLeaves', () => {
  it('holds when the first echo comes after the other client disconnected', () => {
    assert.equal(verdicts.firstEchoAfterOneLeaves(sequential, 'B', ['A']), undefined);
    assert.equal(verdicts.firstEchoAfterOneLeaves(poolOfTwo, 'C', ['A', 'B']), undefined);
  });

  it('fails, in ticks, when the echo came first', () => {
    assert.equal(
      verdicts.firstEchoAfterOneLeaves(allAtOnce, 'C', ['A', 'B']),
      'client C got its first echo at tick 1.10, before A and B disconnected (first at tick 3.20)',
    );
  });
});

describe('servedInArrivalOrder', () => {
  it('holds for first come, first served', () => {
    assert.equal(verdicts.servedInArrivalOrder(sequential), undefined);
  });

  it('tolerates clients served side by side answering in either order', () => {
    const sideBySide = timeline([...articleClient('A', 1.2), ...articleClient('B', 1.1)], undefined, ['A', 'B']);
    assert.equal(verdicts.servedInArrivalOrder(sideBySide), undefined);
  });

  it('does not order clients that were answered without waiting for another to leave', () => {
    // a pool of three: A's thread woke half a tick after B's, but nobody had to leave first
    const slowWake = timeline([...articleClient('A', 1.7), ...articleClient('B', 1.1), ...articleClient('C', 1.2)], undefined, ['A', 'B', 'C']);
    assert.equal(verdicts.servedInArrivalOrder(slowWake), undefined);
  });

  it('catches a later client served a turn earlier', () => {
    assert.equal(
      verdicts.servedInArrivalOrder(lastComeFirst),
      'client C was served at tick 3.20, before client B (at tick 5.40), which connected before it',
    );
  });
});

describe('waitsForOthersService', () => {
  it('holds when the last client waited through both services', () => {
    assert.equal(verdicts.waitsForOthersService(sequential, 'C', ['A', 'B']), undefined);
  });

  it('fails when it hardly waited', () => {
    assert.match(verdicts.waitsForOthersService(allAtOnce, 'C', ['A', 'B']) ?? '', /^client C waited 0\.10 ticks for its first echo, less than the 4\.20 ticks/);
  });

  it("counts only the part of the others' service that came after its own first message", () => {
    // C connected a tick late, so it did not wait for the first tick of A's service
    const lateC = client('C', [['connecting', 0], ['connected', 1], ['send', 2, 'Hello'], ['echo', 5.4, 'Hello'], ['closed', 7.5]]);
    const oneLate = timeline([...articleClient('A', 1), ...articleClient('B', 3.2), ...lateC]);
    assert.equal(verdicts.waitsForOthersService(oneLate, 'C', ['A', 'B']), undefined);
  });
});

describe('noClientWaitsForAnother and echoesWithin', () => {
  it('hold when everybody is answered at once', () => {
    assert.equal(verdicts.noClientWaitsForAnother(allAtOnce), undefined);
    assert.equal(verdicts.echoesWithin(allAtOnce, 1), undefined);
  });

  it('do not count a client that left before the other one sent anything', () => {
    const oneAfterTheOther = timeline(
      [...articleClient('A', 1.1), ...client('B', [['connecting', 0], ['connected', 0], ['send', 4, 'Hello'], ['echo', 4.1, 'Hello'], ['closed', 5]])],
      undefined,
      ['A', 'B'],
    );
    assert.equal(verdicts.noClientWaitsForAnother(oneAfterTheOther), undefined);
  });

  it('fail when a client is answered only after another left', () => {
    assert.equal(verdicts.noClientWaitsForAnother(sequential), 'client B got its first echo at tick 3.20, only after client A had disconnected at tick 3.10');
    assert.equal(verdicts.echoesWithin(sequential, 1), `client B's echo of "Hello" took 2.20 ticks, more than 1`);
  });
});

describe('echoesWithin, on a harness that ran late', () => {
  const lateEcho = timeline([...articleClient('A', 2.7), ...articleClient('B', 1.1), ...articleClient('C', 1.1)]);
  it('allows an echo as late as the harness itself ran, which may have stamped it late', () => {
    assert.equal(verdicts.echoesWithin(lateEcho, 1), `client A's echo of "Hello" took 1.70 ticks, more than 1`);
    assert.equal(verdicts.echoesWithin({ ...lateEcho, harnessLateMs: 15 }, 1), `client A's echo of "Hello" took 1.70 ticks, more than 1`);
    assert.equal(verdicts.echoesWithin({ ...lateEcho, harnessLateMs: 25 }, 1), undefined);
  });
});

describe('everyoneConnectedBeforeAnySend', () => {
  it('holds when the backlog let everyone in', () => {
    assert.equal(verdicts.everyoneConnectedBeforeAnySend(sequential), undefined);
  });

  it('fails when a connection completed only after the first message', () => {
    const late = timeline([...articleClient('A', 1), ...client('B', [['connecting', 0], ['connected', 2]])], undefined, ['A', 'B']);
    assert.equal(verdicts.everyoneConnectedBeforeAnySend(late), 'client B connected at tick 2.00, after the first message was sent at tick 1.00');
  });
});

describe('white-box thread verdicts', () => {
  const threads = (assignment: number[]) =>
    timeline(
      [...articleClient('A', 1.1), ...articleClient('B', 1.1), ...articleClient('C', 1.1)],
      assignment.map((thread, i) => articleConnection(4 + i, 'ABC'[i], 0, 0, thread, 1.1)).flat(),
    );

  it('tell one thread for all, a thread each, and a pool apart', () => {
    assert.equal(verdicts.servedByThreads(threads([0, 0, 0]), 1), undefined);
    assert.equal(verdicts.threadOfItsOwn(threads([1, 2, 3])), undefined);
    assert.equal(verdicts.servedByThreads(threads([1, 2, 1]), 2), undefined);
  });

  it('say which threads did the work when the claim fails', () => {
    assert.equal(verdicts.servedByThreads(threads([1, 2, 3]), 1), '3 server threads served clients (1, 2, 3), not 1');
    assert.equal(verdicts.threadOfItsOwn(threads([1, 2, 1])), 'clients A and C were both served by thread 1');
    assert.equal(verdicts.servedByThreads(threads([1, 2, 3]), 2), '3 server threads served clients (1, 2, 3), not 2');
  });

  it('oneThreadServesAtOnce holds when one thread took turns between that many clients', () => {
    assert.equal(verdicts.oneThreadServesAtOnce(threads([0, 0, 0]), 3), undefined);
  });

  it('oneThreadServesAtOnce fails for one thread that served one client after another, and for several threads', () => {
    assert.equal(verdicts.oneThreadServesAtOnce(sequentialLog, 3), "the server's one thread served 1 client(s) at the same time, not 3");
    assert.equal(verdicts.oneThreadServesAtOnce(threads([1, 2, 3]), 3), '3 server threads served clients (1, 2, 3), not 1');
  });
});

describe('servedOnlyAfterOneLeaves', () => {
  it('holds when the clients sent while the stayer was there and were answered only after it left', () => {
    assert.equal(verdicts.servedOnlyAfterOneLeaves(heldUpByS, ['A', 'B'], ['S']), undefined);
  });

  it('fails, in ticks, when a client was answered while the stayer was still there', () => {
    assert.equal(verdicts.servedOnlyAfterOneLeaves(servedBesideS, ['A', 'B'], ['S']), 'client A got its first echo at tick 1.10, before S disconnected (first at tick 4.00)');
  });

  it('fails when a client sent its first message only after the stayer had left', () => {
    assert.equal(verdicts.servedOnlyAfterOneLeaves(sLeavesThenT, ['B'], ['S']), 'client B sent its first message at tick 5.00, after S had left (at tick 4.00)');
  });

  it('counts the first of two stayers to leave', () => {
    assert.equal(verdicts.servedOnlyAfterOneLeaves(sLeavesThenT, ['A'], ['S', 'T']), undefined);
    assert.equal(
      verdicts.servedOnlyAfterOneLeaves(sLeavesThenT, ['A', 'B'], ['S', 'T']),
      'client B sent its first message at tick 5.00, after the first of S and T had left (at tick 4.00)',
    );
  });
});

describe('servedWhileOthersStay', () => {
  it('holds when the clients were served to the end before a stayer left, that many at once', () => {
    assert.equal(verdicts.servedWhileOthersStay(servedBesideS, ['A', 'B'], ['S'], 2), undefined);
    assert.equal(verdicts.servedWhileOthersStay(servedInTurnBesideSAndT, ['A', 'B', 'C'], ['S', 'T'], 1), undefined);
  });

  it('fails when a client was still connected when the stayer left', () => {
    assert.equal(verdicts.servedWhileOthersStay(heldUpByS, ['A', 'B'], ['S'], 1), 'client A was still being served at tick 4.00, when S left');
  });

  it('says how many were served at once when it is not the number asked for', () => {
    assert.equal(verdicts.servedWhileOthersStay(servedInTurnBesideSAndT, ['A', 'B', 'C'], ['S', 'T'], 3), '1 of A, B and C were served at the same time, not 3');
  });

  it("fails when a client's connection failed", () => {
    assert.equal(verdicts.servedWhileOthersStay(resetBesideS, ['A'], ['S'], 1), "client A's connection failed with ECONNRESET");
  });
});

describe('heldUpUntilOneLeaves', () => {
  it('holds when each client sent a message while the stayer was there and got its echo after it left', () => {
    assert.equal(verdicts.heldUpUntilOneLeaves(heldUpByS, ['A', 'B'], ['S']), undefined);
  });

  it('fails when a client got every echo while the stayer was still there', () => {
    assert.equal(
      verdicts.heldUpUntilOneLeaves(servedBesideS, ['A', 'B'], ['S']),
      'client A got the echo of every message it sent before S left (at tick 4.00) while S was still there',
    );
  });
});

describe('serverStillWhileWaiting', () => {
  it('holds when the server logged nothing from the last message sent until the stayer left', () => {
    assert.equal(verdicts.serverStillWhileWaiting(heldUpByS, ['A', 'B'], ['S']), undefined);
  });

  it('names the call and the client when the server logged one in between', () => {
    assert.equal(
      verdicts.serverStillWhileWaiting(servedBesideS, ['A', 'B'], ['S']),
      "the server logged a recv on client A's connection at tick 3.10, while A and B waited for S to leave",
    );
  });

  it('fails when no client sent before the stayer left', () => {
    assert.equal(verdicts.serverStillWhileWaiting(sLeavesThenT, ['B'], ['S']), 'none of B sent a message before S left (at tick 4.00)');
  });
});

// A listen backlog of 2 and four clients at once: C's and D's SYNs were dropped, and they connected a second (10 ticks) late.
describe('clients that connected late because the listen backlog was full', () => {
  // A thread per client: everyone is answered a tenth of a tick after sending, once connected.
  const threadPerClient = timeline([...articleClient('A', 1.1), ...articleClient('B', 1.1), ...lateClient('C', 10, 11.1), ...lateClient('D', 10, 11.1)], undefined, ['A', 'B', 'C', 'D']);
  // The same, but the kernel dropped D's first message too: it got through when TCP sent it again,
  // by chance a tenth of a tick after E had left at 13.1.
  const heldByTheKernel = timeline(
    [...articleClient('A', 1.1), ...withFirstMessageResent(lateClient('D', 10, 13.2)), ...lateClient('E', 10, 11.1, 0)],
    undefined,
    ['A', 'D', 'E'],
  );
  // A pool of one: D, late, is answered the moment E leaves; its first message went through at once.
  const poolOfOne = timeline([...articleClient('A', 1.1), ...lateClient('D', 10, 13.2), ...lateClient('E', 10, 11.1, 0)], undefined, ['A', 'D', 'E']);
  // A sequential server whose late clients C and D are each served once the one before has left.
  const sequentialLate = timeline([...articleClient('A', 1), ...articleClient('B', 3.2), ...lateClient('C', 10, 11), ...lateClient('D', 10, 13.2)], undefined, ['A', 'B', 'C', 'D']);

  it('are named, as a fact about the connects', () => {
    assert.equal(verdicts.lateConnectWarning(threadPerClient), "warning: 2 of 4 clients connected 1 s late: the server's listen backlog was full");
    assert.equal(verdicts.lateConnectWarning(allAtOnce), undefined);
    const secondRetry = timeline([...articleClient('A', 1.1), ...lateClient('B', 10, 11.1), ...lateClient('C', 30, 31.1)], undefined, ['A', 'B', 'C']);
    assert.equal(verdicts.lateConnectWarning(secondRetry), "warning: 2 of 3 clients connected 1 to 3 s late: the server's listen backlog was full");
  });

  it('are judged on what they saw once connected: a thread per client still serves all of them at once, and nobody waits', () => {
    assert.equal(verdicts.servedAtOnce(threadPerClient, 4), undefined);
    assert.equal(verdicts.noClientWaitsForAnother(threadPerClient), undefined);
  });

  it('excuse a client whose first message TCP had to send again, but not one answered the moment another left', () => {
    assert.equal(verdicts.servedAtOnce(heldByTheKernel, 3), undefined);
    assert.equal(verdicts.noClientWaitsForAnother(heldByTheKernel), undefined);
    assert.equal(
      verdicts.lateConnectWarning(heldByTheKernel),
      "warning: 2 of 3 clients connected 1 s late, and 1 client had its first message sent again: the server's listen backlog was full",
    );
    const heldOnTime = timeline([...articleClient('A', 1.1), ...withFirstMessageResent(articleClient('B', 4.2)), ...articleClient('C', 1.1, 3)], undefined, ['A', 'B', 'C']);
    assert.equal(verdicts.noClientWaitsForAnother(heldOnTime), undefined);
    assert.equal(verdicts.servedAtOnce(heldOnTime, 3), undefined);
    assert.equal(verdicts.lateConnectWarning(heldOnTime), "warning: 1 client had its first message sent again: the server's listen backlog was full");
    assert.equal(verdicts.noClientWaitsForAnother(poolOfOne), 'client D got its first echo at tick 13.20, only after client E had disconnected at tick 13.10');
    assert.equal(
      verdicts.servedAtOnce(poolOfOne, 3),
      "1 client(s) were served at the same time, not 3 (2 of 3 clients connected 1 s late: the server's listen backlog was full)",
    );
  });

  it('never excuse more clients served at once than the model allows, nor an ordering failure', () => {
    assert.equal(verdicts.servedAtOnce(sequentialLate, 1), undefined);
    assert.equal(verdicts.servedAtOnce(threadPerClient, 1), '2 client(s) were served at the same time, not 1');
    const lateOneFirst = timeline([...articleClient('A', 1), ...lateClient('B', 10, 14.4), ...lateClient('C', 10, 11)], undefined, ['A', 'B', 'C']);
    assert.equal(verdicts.servedInArrivalOrder(lateOneFirst), 'client C was served at tick 11.00, before client B (at tick 14.40), which connected before it');
    assert.equal(verdicts.everyoneConnectedBeforeAnySend(sequentialLate), 'client C connected at tick 10.00, after the first message was sent at tick 1.00');
  });
});
