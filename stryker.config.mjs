// @ts-check
/**
 * StrykerJS's settings for `npm run test:mutation` (scripts/mutation.ts), which runs it once for
 * each part of the servers: ECHOLAB_MUTATE names the file whose mutants (copies broken on
 * purpose, one small change each) are made, ECHOLAB_MUTATION_PART its name in the reports,
 * ECHOLAB_MUTATION_TAGS the scenarios that should notice. A mutant is killed when one of them
 * fails, and survives when all pass.
 */
const file = process.env.ECHOLAB_MUTATE;
const part = process.env.ECHOLAB_MUTATION_PART;
const tags = process.env.ECHOLAB_MUTATION_TAGS;
if (!file || !part || !tags) throw new Error('run it with npm run test:mutation, which says which file to break and which scenarios to run');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: {
    // the first scenario that fails is enough; a server that broke badly must not hang it either
    command: `node node_modules/@cucumber/cucumber/bin/cucumber.js --fail-fast --tags "(${tags}) and not @tool"`,
  },
  // Stryker copies the project, dist/ with it, and builds its copy once with every mutant in it;
  // without type checks, as a mutant's code no longer has the types its callers are checked against
  buildCommand: 'tsc -p tsconfig.json --noCheck',
  mutate: [file],
  // a changed log line or message is not a broken server
  mutator: { excludedMutations: ['StringLiteral'] },
  ignorePatterns: ['reports', '.git'],
  // one mutant at a time: the specs' clients and servers share the machine's two cores as it is
  concurrency: 1,
  coverageAnalysis: 'off',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${part}.html` },
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
  thresholds: { high: 90, low: 75, break: null },
};
