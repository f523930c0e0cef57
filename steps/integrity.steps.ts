import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { EcholabWorld } from '../support/cucumber/world';
import { echoAfterHalfClose, echoEachExactly, echoReadSlowly, parsePieces, parseSize, type PayloadSpec } from '../support/integrity';
import { resetterFirst } from '../support/slow-clients';
import { everyEchoBack } from '../support/verdicts';

Then('each of these random payloads, sent in pieces of the sizes given, comes back byte for byte', async function (this: EcholabWorld, table: DataTable) {
  const payloads: PayloadSpec[] = table.hashes().map(({ payload, pieces }) => ({ label: payload, size: parseSize(payload), pieces: parsePieces(pieces) }));
  const names = payloads.map((payload) => payload.label);
  this.verify(await this.session.talk(names, (address, record) => echoEachExactly(address, payloads, record)));
});

Then('a client that sends {int} MiB and at once closes its sending side gets all of it back before the server closes the connection', async function (this: EcholabWorld, mib: number) {
  const label = `${mib} MiB`;
  this.verify(await this.session.talk([label], (address, record) => echoAfterHalfClose(address, label, parseSize(label), record)));
});

When('client {word} sends {int} MiB, never reads, and resets its connection once the server takes no more of it; then clients {names} connect, each sending {messages}', function (this: EcholabWorld, resetter: string, mib: number, names: string[], messages: string[]) {
  return this.session.run(resetterFirst(resetter, mib, names, messages));
});

Then('{names} get(s) the echo of everything they/it sent', function (this: EcholabWorld, clients: string[]) {
  this.verify(everyEchoBack(this.session.timeline(), clients));
});

Then('a client that sends {int} MiB as fast as it can and reads the echo slowly gets all of it back', async function (this: EcholabWorld, mib: number) {
  const label = `${mib} MiB`;
  this.verify(await this.session.talk([label], (address, record) => echoReadSlowly(address, label, parseSize(label), record)));
});
