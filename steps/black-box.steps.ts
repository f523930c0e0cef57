/** Claims checked on what the clients saw: these hold for any server that speaks TCP. */
import { Then } from '@cucumber/cucumber';
import type { EcholabWorld } from '../support/cucumber/world';
import * as verdicts from '../support/verdicts';

Then('every client is connected before any message is sent', function (this: EcholabWorld) {
  this.verify(verdicts.everyoneConnectedBeforeAnySend(this.session.timeline()));
});

Then('only one client is served at a time', function (this: EcholabWorld) {
  this.verify(verdicts.servedAtOnce(this.session.timeline(), 1));
});

Then('all {int} clients are served at the same time', function (this: EcholabWorld, count: number) {
  this.verify(verdicts.servedAtOnce(this.session.timeline(), count));
});

Then('{int} clients are served at the same time, never more', function (this: EcholabWorld, count: number) {
  this.verify(verdicts.servedAtOnce(this.session.timeline(), count));
});

Then('client {word} gets its first echo only after client {names} disconnects', function (this: EcholabWorld, client: string, others: string[]) {
  this.verify(verdicts.firstEchoAfterOneLeaves(this.session.timeline(), client, others));
});

Then('the clients are served in the order they connected', function (this: EcholabWorld) {
  this.verify(verdicts.servedInArrivalOrder(this.session.timeline()));
});

Then('client {word} waits at least as long as clients {names} are served, together', function (this: EcholabWorld, client: string, others: string[]) {
  this.verify(verdicts.waitsForOthersService(this.session.timeline(), client, others));
});

Then('no client waits for another', function (this: EcholabWorld) {
  this.verify(verdicts.noClientWaitsForAnother(this.session.timeline()));
});

Then('every echo arrives within {int} tick(s) of its message', function (this: EcholabWorld, limit: number) {
  this.verify(verdicts.echoesWithin(this.session.timeline(), limit));
});

Then('clients {names} are connected at once', function (this: EcholabWorld, names: string[]) {
  this.verify(verdicts.connectedAtOnce(this.session.timeline(), names));
});

Then('clients {names} are connected only when they try again, a second or more later', function (this: EcholabWorld, names: string[]) {
  this.verify(verdicts.connectedOnlyOnRetry(this.session.timeline(), names));
});
