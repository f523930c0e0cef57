import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineJunitReports } from '../support/check/junit';

const report = (model: string, failures: number) =>
  `<?xml version="1.0"?>\n<testsuite name="echolab check --model ${model}" tests="1" failures="${failures}">\n  <testcase name="x"/>\n</testsuite>\n`;

describe('combineJunitReports', () => {
  it('puts each run\'s testsuite, without its own XML declaration, inside one testsuites', () => {
    const combined = combineJunitReports([report('sequential', 0), report('async', 1)]);
    assert.equal(combined.match(/<\?xml/g)?.length, 1);
    assert.match(combined, /^<\?xml[^>]*\?>\n<testsuites name="echolab check --model all">\n<testsuite name="echolab check --model sequential"[^]*<\/testsuite>\n<testsuite name="echolab check --model async"[^]*<\/testsuite>\n<\/testsuites>\n$/);
  });

  it('is a valid, empty report when no run wrote one', () => {
    assert.equal(combineJunitReports([]), '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="echolab check --model all">\n</testsuites>\n');
  });
});
