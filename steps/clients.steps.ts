import { When } from '@cucumber/cucumber';
import { clientNames } from '../support/clients';
import type { EcholabWorld } from '../support/cucumber/world';

When('clients {names} connect at the same time, each sending {messages}', function (this: EcholabWorld, names: string[], messages: string[]) {
  return this.runArticleClients(names, messages);
});

When('{int} clients connect one after another, each sending {messages}', function (this: EcholabWorld, count: number, messages: string[]) {
  // a tenth of a tick apart: a clear order of arrival, yet all arrive within the first tick
  return this.runArticleClients(clientNames(count), messages, { startGapMs: this.session.tickMs / 10 });
});

When('{int} clients connect at the same time, each sending {messages}, pausing {int} ticks before each', function (this: EcholabWorld, count: number, messages: string[], pauseTicks: number) {
  return this.runArticleClients(clientNames(count), messages, { pauseTicks });
});

When('clients {names} connect at the same time, each sending {messages}, pausing {int} ticks before each', function (this: EcholabWorld, names: string[], messages: string[], pauseTicks: number) {
  return this.runArticleClients(names, messages, { pauseTicks });
});

When('client {names} is being served while clients {names} connect one after another', function (this: EcholabWorld, [first]: string[], others: string[]) {
  return this.runArrivalsWhileBusy(first, others);
});
