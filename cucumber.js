/**
 * cucumber-js's profiles for the specs in features/.
 *
 *   npx cucumber-js features/03-thread-pool.feature:11     the compiled steps, in dist/ (npm run build first)
 *   npx cucumber-js -p ts features/03-thread-pool.feature  the steps and support code straight from TypeScript
 *
 * Either runs what its arguments name and nothing else; with no paths, every chapter.
 * `npm test` runs the default profile, with the chapters in the order that keeps its four
 * workers busy (scripts/run-specs.ts).
 */
const shared = {
  format: ['progress-bar'],
  formatOptions: { junit: { suiteName: 'echolab' } },
  parallel: 4,
};

module.exports = {
  default: { ...shared, require: ['dist/support/cucumber/**/*.js', 'dist/steps/**/*.js'] },
  // ts-node compiles each file as it is loaded, without checking types (npm test does that)
  ts: { ...shared, requireModule: ['ts-node/register/transpile-only'], require: ['support/cucumber/**/*.ts', 'steps/**/*.ts'] },
};
