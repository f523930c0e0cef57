/** The remedies for slow clients: a server that applies one, the clients that try it, and what they saw. */
import { Given, Then, When } from '@cucumber/cucumber';
import { comeStraightBack, askEveryTick } from '../support/availability';
import type { EcholabWorld, ServerWords } from '../support/cucumber/world';
import {
  afterLongStayers,
  afterSilentClients,
  afterTricklers,
  busyTalker,
  favouredArrivesLast,
  favouredStream,
  lateFirstWord,
  limitsInTicks,
  thinker,
  withinGrace,
  type RemedyWords,
} from '../support/remedies';
import * as verdicts from '../support/remedy-verdicts';
import { Deadline } from '../support/wait';

/** How long an attack with newcomers may take beyond its own ticks, on a loaded machine. */
const ATTACK_ALLOWANCE_MS = 30_000;
/** How many newcomers ask, a tick apart, while slow clients keep coming back. */
const NEWCOMERS = 6;

Given('{server} that {remedy}', function (this: EcholabWorld, server: ServerWords, remedy: RemedyWords) {
  return this.startServerWithRemedy(server, remedy);
});

const limits = (world: EcholabWorld) => limitsInTicks(world.remedies, world.session.tickMs);
/** The article's clients connect a tenth of a tick after one another, the slow ones first. */
const inOrder = (world: EcholabWorld) => ({ startGapMs: world.session.tickMs / 10 });

When('clients {names} connect after slow client(s) {names}, who are/is silent for longer than that before each word', function (this: EcholabWorld, names: string[], slow: string[]) {
  return this.session.run(afterSilentClients(slow, names, limits(this)), inOrder(this));
});

When('clients {names} connect after slow client(s) {names}, who send(s) one byte a tick', function (this: EcholabWorld, names: string[], slow: string[]) {
  return this.session.run(afterTricklers(slow, names, limits(this)), inOrder(this));
});

When('clients {names} connect after slow client(s) {names}, who send(s) one byte a tick for {int} ticks', function (this: EcholabWorld, names: string[], slow: string[], ticks: number) {
  return this.session.run(afterTricklers(slow, names, limits(this), ticks), inOrder(this));
});

When('clients {names} connect after slow client(s) {names}, who stay(s) longer than that', function (this: EcholabWorld, names: string[], slow: string[]) {
  return this.session.run(afterLongStayers(slow, names, limits(this)), inOrder(this));
});

When('client {word} sends {string}, then thinks for longer than that before sending {string}', function (this: EcholabWorld, name: string, first: string, second: string) {
  return this.session.run([thinker(name, [first, second], limits(this))]);
});

When('client {word} waits a third of the grace period before each of {string} and {string}', function (this: EcholabWorld, name: string, first: string, second: string) {
  return this.session.run([withinGrace(name, [first, second], limits(this))]);
});

When('client {word} thinks for longer than the grace period before sending {string}', function (this: EcholabWorld, name: string, message: string) {
  return this.session.run([lateFirstWord(name, message, limits(this))]);
});

When('client {word} sends {string} every tick for longer than that', function (this: EcholabWorld, name: string, message: string) {
  return this.session.run([busyTalker(name, message, limits(this))]);
});

When('slow clients {names} hold both threads, clients {names} wait for one, and then client {word} connects from {word}', function (this: EcholabWorld, slow: string[], waiting: string[], favoured: string, from: string) {
  return this.session.run(favouredArrivesLast(slow, waiting, favoured, from), inOrder(this));
});

When('client {word} waits for a thread while clients {names} connect from {word}, one a tick', function (this: EcholabWorld, waiting: string, favoured: string[], from: string) {
  return this.session.run(favouredStream(waiting, favoured, from), { startGapMs: this.session.tickMs });
});

When('slow clients {names} hold both threads and come straight back whenever they are cut off', async function (this: EcholabWorld, slow: string[]) {
  const { session } = this;
  // a newcomer waits for a slow client to be cut off, and may wait as late as a cut-off may come
  const withinMs = (this.remedies.idleTimeoutMs ?? 0) + verdicts.CUT_LATE_TICKS * session.tickMs;
  const deadline = new Deadline(ATTACK_ALLOWANCE_MS + NEWCOMERS * session.tickMs + withinMs);
  const stop = new AbortController();
  try {
    await session.talk(slow, async (address, record) => {
      const { gone } = await comeStraightBack(slow, address, record, AbortSignal.any([stop.signal, deadline.signal]));
      await askEveryTick(session, address, NEWCOMERS, deadline.signal, withinMs);
      stop.abort();
      await gone;
    });
  } finally {
    stop.abort();
    deadline.clear();
  }
});

/** "the server cuts off S and T, each once …" and "the server cuts off A once …" */
function cutOffStep(when: string, limit: (world: EcholabWorld) => verdicts.Limit) {
  const step = function (this: EcholabWorld, names: string[]) {
    for (const name of names) this.verify(verdicts.cutOffAtLimit(this.session.timeline(), name, limit(this)));
  };
  Then(`the server cuts off {names}, each once ${when}`, step);
  Then(`the server cuts off {names} once ${when}`, step);
}

cutOffStep('it has been silent that long', (world) => ({ kind: 'silence', ms: world.remedies.idleTimeoutMs! }));
cutOffStep('its grace is over and it has sent too little', (world) => ({ kind: 'rate', bytesPerSecond: world.remedies.minRate!, graceMs: world.remedies.minRateGraceMs! }));
cutOffStep('it has been connected that long', (world) => ({ kind: 'lifetime', ms: world.remedies.maxLifetimeMs! }));

Then('the server cuts off {word} once it has been connected that long, though it was never silent for long', function (this: EcholabWorld, name: string) {
  const timeline = this.session.timeline();
  this.verify(verdicts.cutOffAtLimit(timeline, name, { kind: 'lifetime', ms: this.remedies.maxLifetimeMs! }));
  this.verify(verdicts.echoedUntilCutOff(timeline, name));
});

Then('{names} are all served, but only once {names} is cut off', function (this: EcholabWorld, clients: string[], cut: string[]) {
  this.verify(verdicts.servedOnceCutOff(this.session.timeline(), clients, cut));
});

Then('{word} never gets {string} back', function (this: EcholabWorld, name: string, message: string) {
  this.verify(verdicts.neverEchoed(this.session.timeline(), name, message));
});

Then('{word} is never cut off', function (this: EcholabWorld, name: string) {
  this.verify(verdicts.neverCutOff(this.session.timeline(), name));
});

Then('{word} is served and leaves when it chooses', function (this: EcholabWorld, name: string) {
  this.verify(verdicts.neverCutOff(this.session.timeline(), name));
});

Then('a newcomer who asks for an echo once a tick is always answered within that long', function (this: EcholabWorld) {
  this.verify(verdicts.alwaysAnswered(this.session.timeline()));
});

Then('{word} is served before {names}', function (this: EcholabWorld, first: string, others: string[]) {
  this.verify(verdicts.servedBefore(this.session.timeline(), first, others));
});

Then('{word} is served only after {names}, though it came before most of them', function (this: EcholabWorld, client: string, favoured: string[]) {
  this.verify(verdicts.servedAfterAll(this.session.timeline(), client, favoured));
});
