import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { markdownTable, rowSentence } from '../support/check/matrix';

const readme = `# echolab

| Model | Threads |
|-------|---------|
| sequential | 1 |

Which models can be told apart:

|       Server      | sequential specs | thread-per-client specs |
|:------------------|:----------------:|------------------------:|
| sequential        |      passes      |          fails          |
| thread-per-client |       fails      |         passes          |

And which clients were run:

| Client | Messages |
|---|---|
| A | 2 |`;

describe('markdownTable', () => {
  it('returns the rows of the table whose first header cell is asked for, cells trimmed, without the separator line', () => {
    assert.deepEqual(markdownTable(readme, 'Server'), [
      ['Server', 'sequential specs', 'thread-per-client specs'],
      ['sequential', 'passes', 'fails'],
      ['thread-per-client', 'fails', 'passes'],
    ]);
  });

  it('passes over tables before it with other first headers, and reads one that ends the text', () => {
    assert.deepEqual(markdownTable(readme, 'Client'), [
      ['Client', 'Messages'],
      ['A', '2'],
    ]);
  });

  it('takes the first of two tables with that first header', () => {
    const twice = `${readme}\n\n| Server | verdict |\n|---|---|\n| sequential | conforms |\n`;
    assert.deepEqual(markdownTable(twice, 'Server')?.[0], ['Server', 'sequential specs', 'thread-per-client specs']);
  });

  it('returns undefined when no table has that first header cell', () => {
    assert.equal(markdownTable(readme, 'Threads'), undefined);
    assert.equal(markdownTable(readme, 'Verdict'), undefined);
  });
});

describe('rowSentence', () => {
  it("reads a server's verdicts as the row of the table, in the models' order", () => {
    const row = rowSentence([
      { specs: 'sequential', cell: 'fails', why: 'x' },
      { specs: 'thread-per-client', cell: 'passes' },
      { specs: 'thread-pool', cell: 'fails' },
      { specs: 'multiplexing', cell: 'not run' },
      { specs: 'async', cell: 'not run' },
    ]);
    assert.equal(row, 'fails sequential, passes thread-per-client, fails thread-pool, multiplexing not run and async not run');
  });

  it('has no "and" for one model', () => {
    assert.equal(rowSentence([{ specs: 'async', cell: 'passes' }]), 'passes async');
  });
});
