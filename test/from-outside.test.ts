/** The one table of what each model looks like from outside, and the places that repeat it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODEL_NAMES, type ModelName } from '../core/models';
import { PACKAGE_DIR } from '../core/paths';
import { markdownTable } from '../support/check/matrix';
import { classify, type Observations } from '../support/classify';
import { expectedCell, expectedTable, LOOKS, lookalikes } from '../support/from-outside';

const tableIn = (file: string) => markdownTable(fs.readFileSync(path.join(PACKAGE_DIR, file), 'utf8'), 'server');

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

  it("is the README's table of what can be told apart from outside", () => {
    assert.deepEqual(tableIn('README.md'), expectedTable());
  });

  it('is the table of examples that features/12-telling-models-apart.feature measures', () => {
    assert.deepEqual(tableIn('features/12-telling-models-apart.feature'), expectedTable());
  });
});
