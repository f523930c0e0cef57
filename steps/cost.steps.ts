/** What a server costs the machine, read from /proc as idle clients connect (support/cost/), and what a flood of them does (support/flood.ts). */
import { Given, Then, When } from '@cucumber/cucumber';
import type { Bound } from '../support/bounds';
import { costWithin } from '../support/cost/verdict';
import type { EcholabWorld } from '../support/cucumber/world';
import { floodNames, floodWithNewcomer } from '../support/flood';
import { everyMessageEchoed, neverServed, notServedWhileFloodStays, servedOnceFloodLeaves, servedWhileFloodStays } from '../support/flood-verdicts';

Given("the article's thread-per-client server, in Python", function (this: EcholabWorld) {
  return this.startFixture('article_threads.py');
});

When('{int} idle clients connect, {int} at a time', function (this: EcholabWorld, total: number, step: number) {
  return this.measureCost(total, step);
});

Then('each idle client adds {bound} threads to the server', function (this: EcholabWorld, bound: Bound) {
  this.verifyCost(costWithin(this.costSteps, 'threads', bound));
});

Then('each idle client adds {bound} of memory to the server', function (this: EcholabWorld, bound: Bound) {
  this.verifyCost(costWithin(this.costSteps, 'memory', bound));
});

Given('a thread-per-client server that may have only {int} threads', function (this: EcholabWorld, maxThreads: number) {
  return this.startServer('thread-per-client', { maxThreads });
});

Given("the article's thread-per-client server, in Python, that the operating system lets have only {int} threads", function (this: EcholabWorld, threads: number) {
  return this.startFixture('article_threads.py', { threads });
});

When('client A is served, then {int} idle clients connect, then client F sends {string}', function (this: EcholabWorld, flooders: number, message: string) {
  this.flooders = floodNames(flooders);
  return floodWithNewcomer(this.session, flooders, message);
});

Then('the server says {string}', async function (this: EcholabWorld, words: string) {
  this.verify(await this.session.serverSaid(words));
});

Then('F is not served while the idle clients stay', function (this: EcholabWorld) {
  this.verify(notServedWhileFloodStays(this.session.timeline(), 'F', this.flooders));
});

Then('F is served at once, while the idle clients stay', function (this: EcholabWorld) {
  this.verify(servedWhileFloodStays(this.session.timeline(), 'F', this.flooders));
});

Then('F is served once the idle clients leave', function (this: EcholabWorld) {
  this.verify(servedOnceFloodLeaves(this.session.timeline(), 'F', this.flooders));
});

Then('F is not served even after the idle clients leave', function (this: EcholabWorld) {
  this.verify(neverServed(this.session.timeline(), 'F'));
});

Then('A is still served', function (this: EcholabWorld) {
  this.verify(everyMessageEchoed(this.session.timeline(), 'A'));
});
