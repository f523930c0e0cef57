/** Claims checked on the server's own event log: only for `@white-box` scenarios. */
import { Then } from '@cucumber/cucumber';
import type { EcholabWorld } from '../support/cucumber/world';
import * as verdicts from '../support/verdicts';

Then('one server thread serves every client', async function (this: EcholabWorld) {
  await this.session.serverLogSettled();
  this.verify(verdicts.servedByThreads(this.session.timeline(), 1));
});

Then('each client is served by a thread of its own', async function (this: EcholabWorld) {
  await this.session.serverLogSettled();
  this.verify(verdicts.threadOfItsOwn(this.session.timeline()));
});

Then('exactly {int} server threads serve clients', async function (this: EcholabWorld, count: number) {
  await this.session.serverLogSettled();
  this.verify(verdicts.servedByThreads(this.session.timeline(), count));
});

Then('one server thread serves all {int} clients at once', async function (this: EcholabWorld, count: number) {
  await this.session.serverLogSettled();
  this.verify(verdicts.oneThreadServesAtOnce(this.session.timeline(), count));
});
