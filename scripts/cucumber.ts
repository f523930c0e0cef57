/** Where cucumber-js and echolab's own formatters are, for the scripts that run the specs. */
import path from 'node:path';

/** cucumber-js's command, run with this Node rather than through npx. */
export const CUCUMBER = (() => {
  const manifest = require.resolve('@cucumber/cucumber/package.json');
  return path.join(path.dirname(manifest), (require(manifest) as { bin: Record<string, string> }).bin['cucumber-js']);
})();

/** One of echolab's formatters (support/report/), built beside these scripts. */
export const formatter = (name: string) => path.join(__dirname, '..', 'support', 'report', `${name}.js`);

/** A `--format` argument, each part quoted, as cucumber asks of a format whose parts may hold a colon. */
export const formatArgument = (format: string, file: string) => ['--format', `"${format}":"${file}"`];
