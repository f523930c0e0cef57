/** What a server costs the machine, read from /proc as idle clients connect (support/cost/). */
import { Given, Then, When } from '@cucumber/cucumber';
import type { Bound } from '../support/bounds';
import { costWithin } from '../support/cost/verdict';
import type { EcholabWorld } from '../support/cucumber/world';

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
