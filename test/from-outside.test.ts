/**
 * The one table of what each model looks like from outside, and the places that repeat it; and
 * what the machine a server runs on sees besides, which tells apart what clients cannot.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODEL_NAMES, type ModelName } from '../core/models';
import { PACKAGE_DIR } from '../core/paths';
import { markdownTable } from '../support/check/matrix';
import { classify, type CostSeen, type Observations } from '../support/classify';
import { costVerdict, type CostSlopes, type CostVerdict } from '../support/cost/verdict';
import { expectedCell, expectedTable, LOOKS, lookalikes } from '../support/from-outside';
import { machineTellsApart, OWN_THREAD_ABOVE, OWN_THREAD_PER_CONNECTION, ownThreadSeen } from '../support/from-this-machine';

const tableIn = (file: string, firstHeader = 'server') => markdownTable(fs.readFileSync(path.join(PACKAGE_DIR, file), 'utf8'), firstHeader);

/** What the probes would see of a faithful server of `model`, with 8 clients coming and a pool of 2. */
function observationsOf(model: ModelName): Observations {
  const { servedAtOnce, ...questions } = LOOKS[model];
  const counts = { one: 1, 'its workers': 2, everyone: 8 };
  return { bound: 8, servedAtOnce: counts[servedAtOnce], unserved: [], ...questions, largestPayload: '3 MiB', echoProblem: undefined };
}

describe('what each model looks like from outside', () => {
  it('tells every model apart but a thread per client from async', () => {
    assert.deepEqual(
      MODEL_NAMES.map((model) => lookalikes(model)),
      [['sequential'], ['thread-per-client', 'async'], ['thread-pool'], ['multiplexing'], ['thread-per-client', 'async']],
    );
  });

  it("is what classify decides by: a faithful server of each model is classified as it and its lookalikes", () => {
    for (const model of MODEL_NAMES) assert.deepEqual(classify(observationsOf(model)).models, lookalikes(model), model);
  });

  it("gives which model's specs each server passes: those of the models it looks like", () => {
    assert.equal(expectedCell('async', 'thread-per-client'), 'passes');
    assert.equal(expectedCell('multiplexing', 'async'), 'fails');
    assert.deepEqual(expectedTable()[0], ['server', ...MODEL_NAMES]);
  });

  it("is docs/check.md's table of what can be told apart from outside", () => {
    assert.deepEqual(tableIn('docs/check.md'), expectedTable());
  });

  it('is the table of examples that features/13-telling-models-apart.feature measures', () => {
    assert.deepEqual(tableIn('features/13-telling-models-apart.feature'), expectedTable());
  });
});

/** A cost probe's outcome for a server whose threads grew by `threadsPerConnection` over 20 idle connections, from `threadsAtStart`. */
function costGrowing(threadsPerConnection: number, threadsAtStart = 1): { verdict: CostVerdict; slopes: CostSlopes } {
  const slopes = { threadsPerConnection, processesPerConnection: 0, memoryBytesPerConnection: 0, fdsPerConnection: 1, connectionsAdded: 20, threadsAtStart };
  return { verdict: costVerdict(slopes), slopes };
}

describe('what the machine a server runs on sees of it', () => {
  it('gives a thread (or a process) of its own to each connection of a thread per client alone', () => {
    assert.deepEqual(MODEL_NAMES.filter((model) => OWN_THREAD_PER_CONNECTION[model]), ['thread-per-client']);
  });

  it('tells apart exactly the models clients cannot, and with what clients see, every model', () => {
    for (const model of MODEL_NAMES) assert.equal(machineTellsApart(lookalikes(model)), lookalikes(model).length > 1, model);
    const both = MODEL_NAMES.map((model) => JSON.stringify([LOOKS[model], OWN_THREAD_PER_CONNECTION[model]]));
    assert.equal(new Set(both).size, MODEL_NAMES.length);
  });

  it('is what classify decides by: a faithful server of each model, with the threads its model has, is classified as that model alone', () => {
    for (const model of MODEL_NAMES) {
      const cost: CostSeen = { seen: true, probe: costGrowing(OWN_THREAD_PER_CONNECTION[model] ? 1 : 0) };
      assert.deepEqual(classify({ ...observationsOf(model), cost }).models, [model], model);
    }
  });

  it("is docs/check.md's table of what the same machine tells apart", () => {
    const rows = MODEL_NAMES.map((model) => [model, OWN_THREAD_PER_CONNECTION[model] ? 'yes' : 'no']);
    assert.deepEqual(tableIn('docs/check.md', 'model')?.slice(1), rows);
  });

  it('reads a thread of its own per connection in threads that grow by more than one for every two connections, none in threads that do not grow', () => {
    assert.equal(ownThreadSeen(costGrowing(1)), true);
    assert.equal(ownThreadSeen(costGrowing(0.8, 40)), true, "echolab's own, 32 threads started ahead");
    assert.equal(ownThreadSeen(costGrowing(OWN_THREAD_ABOVE + 0.01)), true);
    assert.equal(ownThreadSeen(costGrowing(OWN_THREAD_ABOVE)), undefined);
    assert.equal(ownThreadSeen(costGrowing(0.2)), undefined);
    assert.equal(ownThreadSeen(costGrowing(0)), false);
    assert.equal(ownThreadSeen(costGrowing(0, 7)), false, "Node's event loop and its own helper threads");
  });
});
