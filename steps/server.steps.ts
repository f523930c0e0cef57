import { Given } from '@cucumber/cucumber';
import type { ModelName } from '../core/models';
import type { EcholabWorld } from '../support/cucumber/world';

Given('a(n) {model} server', function (this: EcholabWorld, model: ModelName) {
  return this.startServer(model);
});

Given('a thread-pool server with {int} worker(s)', function (this: EcholabWorld, workers: number) {
  return this.startServer('thread-pool', { workers });
});

Given('a(n) {model} server with a listen backlog of {int}', function (this: EcholabWorld, model: ModelName, backlog: number) {
  return this.startServer(model, { backlog });
});

Given('a thread-per-client server that keeps {int} threads spare', function (this: EcholabWorld, spareThreads: number) {
  return this.startServer('thread-per-client', { spareThreads });
});
