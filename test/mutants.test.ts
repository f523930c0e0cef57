/** What `npm run test:mutation` breaks and runs (scripts/mutants.ts), and its tally of a report cut down from a real one. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PARTS, tallyMutants, type MutationReport } from '../scripts/mutants';
import { PACKAGE_DIR } from '../core/paths';

describe('the parts mutation testing breaks', () => {
  it('take in every server model, each with scenarios that carry its tags', () => {
    const models = fs.readdirSync(path.join(PACKAGE_DIR, 'servers', 'models')).filter((file) => file !== 'index.ts');
    const broken = PARTS.map(({ file }) => file);
    for (const model of models) assert.ok(broken.includes(`servers/models/${model}`), `${model} is not broken by any part`);
    for (const file of broken) assert.ok(fs.existsSync(path.join(PACKAGE_DIR, file)), `${file} does not exist`);

    const chapters = fs.readdirSync(path.join(PACKAGE_DIR, 'features')).map((name) => fs.readFileSync(path.join(PACKAGE_DIR, 'features', name), 'utf8'));
    for (const { tags } of PARTS) {
      for (const tag of tags.match(/@[\w-]+/g) ?? []) assert.ok(chapters.some((text) => new RegExp(`${tag}(?![\\w-])`).test(text)), `no chapter has ${tag}`);
    }
  });
});

const mutant = (status: string, line: number, mutatorName: string, replacement?: string) => ({ status, mutatorName, replacement, location: { start: { line, column: 4 } } });

describe('tallyMutants', () => {
  it('counts killed and timed-out mutants as caught, survivors and uncovered ones as missed, and leaves out those that never ran', () => {
    const report: MutationReport = {
      files: {
        'servers/models/sequential.ts': {
          mutants: [
            mutant('Killed', 12, 'BlockStatement', '{}'),
            mutant('Timeout', 13, 'ConditionalExpression', 'false'),
            mutant('Survived', 14, 'ArithmeticOperator', 'a - b'),
            mutant('CompileError', 15, 'BooleanLiteral', 'true'),
            mutant('Ignored', 16, 'StringLiteral'),
          ],
        },
        'servers/limits.ts': { mutants: [mutant('NoCoverage', 30, 'EqualityOperator')] },
      },
    };
    assert.deepEqual(tallyMutants(report), {
      judged: 4,
      caught: 2,
      survivors: ['line 14: ArithmeticOperator (a - b)', 'line 30: EqualityOperator'],
      score: 50,
    });
  });

  it('gives a part with nothing to judge a full score', () => {
    assert.equal(tallyMutants({ files: {} }).score, 100);
  });
});
