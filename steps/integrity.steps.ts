import { Then, type DataTable } from '@cucumber/cucumber';
import type { EcholabWorld } from '../support/cucumber/world';
import { echoEachExactly, parsePieces, parseSize, type PayloadSpec } from '../support/integrity';

Then('each of these random payloads, sent in pieces of the sizes given, comes back byte for byte', async function (this: EcholabWorld, table: DataTable) {
  const payloads: PayloadSpec[] = table.hashes().map(({ payload, pieces }) => ({ label: payload, size: parseSize(payload), pieces: parsePieces(pieces) }));
  const names = payloads.map((payload) => payload.label);
  this.verify(await this.session.talk(names, (address, record) => echoEachExactly(address, payloads, record)));
});
