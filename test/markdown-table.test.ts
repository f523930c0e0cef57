import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdownTable } from '../support/markdown-table';

describe('renderMarkdownTable', () => {
  it('pads every column to its widest cell, header and separator included', () => {
    assert.equal(
      renderMarkdownTable(['server', 'rate'], [['async', '75.0 k'], ['thread-per-client', '9 k']]),
      ['| server            | rate   |', '| ----------------- | ------ |', '| async             | 75.0 k |', '| thread-per-client | 9 k    |'].join('\n'),
    );
  });
});
