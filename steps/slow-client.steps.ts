/** Clients that hold their connections (slow ones, ones that do not read) and what that does to the others. */
import { Then, When } from '@cucumber/cucumber';
import type { EcholabWorld } from '../support/cucumber/world';
import { nonReaderFirst, slowClientsFirst } from '../support/slow-clients';
import * as verdicts from '../support/verdicts';

When('clients {names} connect after slow client(s) {names}, each sending {messages}', function (this: EcholabWorld, names: string[], slow: string[], messages: string[]) {
  return this.session.run(slowClientsFirst(slow, names, messages), { startGapMs: this.session.tickMs / 10 });
});

When('clients {names} connect after slow client(s) {names}, each sending {messages}, pausing {int} ticks before each', function (this: EcholabWorld, names: string[], slow: string[], messages: string[], pauseTicks: number) {
  return this.session.run(slowClientsFirst(slow, names, messages, pauseTicks), { startGapMs: this.session.tickMs / 10 });
});

When('client {word} sends {int} MiB and never reads, and once the server takes no more of it, clients {names} connect, each sending {messages}', function (this: EcholabWorld, nonReader: string, mib: number, names: string[], messages: string[]) {
  return this.session.run(nonReaderFirst(nonReader, mib, names, messages));
});

When('client {word} sends {int} MiB and never reads, and once the server takes no more of it, clients {names} connect, each sending {messages}, pausing {int} ticks before each', function (this: EcholabWorld, nonReader: string, mib: number, names: string[], messages: string[], pauseTicks: number) {
  return this.session.run(nonReaderFirst(nonReader, mib, names, messages, pauseTicks));
});

Then('{names} are served only after {names} leave(s)', function (this: EcholabWorld, clients: string[], stayers: string[]) {
  this.verify(verdicts.servedOnlyAfterOneLeaves(this.session.timeline(), clients, stayers));
});

Then('{names} are held up until {names} leave(s)', function (this: EcholabWorld, clients: string[], stayers: string[]) {
  this.verify(verdicts.heldUpUntilOneLeaves(this.session.timeline(), clients, stayers));
});

Then('{names} are all served at once while {names} stay(s)', function (this: EcholabWorld, clients: string[], stayers: string[]) {
  this.verify(verdicts.servedWhileOthersStay(this.session.timeline(), clients, stayers, clients.length));
});

Then('{names} are served one at a time while {names} stay(s)', function (this: EcholabWorld, clients: string[], stayers: string[]) {
  this.verify(verdicts.servedWhileOthersStay(this.session.timeline(), clients, stayers, 1));
});

Then('the server makes no call at all while {names} wait for {names} to leave', async function (this: EcholabWorld, clients: string[], stayers: string[]) {
  await this.session.serverLogSettled();
  this.verify(verdicts.serverStillWhileWaiting(this.session.timeline(), clients, stayers));
});
