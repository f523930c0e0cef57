import { Given } from '@cucumber/cucumber';
import type { ModelName } from '../core/models';
import type { EcholabWorld } from '../support/cucumber/world';

Given('a(n) {model} server', function (this: EcholabWorld, model: ModelName) {
  return this.startServer(model);
});

// a pool's threads: its workers, as Python's ThreadPoolExecutor(max_workers=…) calls them
Given('a thread-pool server with {int} thread(s)', function (this: EcholabWorld, workers: number) {
  return this.startServer('thread-pool', { workers });
});

Given('a(n) {model} server with a listen backlog of {int}', function (this: EcholabWorld, model: ModelName, backlog: number) {
  return this.startServer(model, { backlog });
});
