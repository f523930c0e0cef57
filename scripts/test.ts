/**
 * The gate after the build (`npm test`): the specs, the unit tests and the layering rule at
 * once, as they share nothing, but for the unit tests of the report the specs write, which
 * follow them. The specs spend most of their time waiting for ticks to pass,
 * which leaves room for the others beside them, where one after another they used to add half
 * a minute. The specs print as they go (cucumber's progress bar); what the others print is
 * kept and printed whole once each has ended, so that no line of theirs lands inside the bar.
 * Given arguments, it runs only the specs they name, with cucumber-js's arguments
 * (`npm test -- features/01-sequential.feature:28`, `npm test -- --tags @lesson`).
 * It exits with the first failure's status, 0 only when all pass; interrupted, it stops
 * them all and ends as they did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

interface Job {
  name: string;
  command: string[];
  /** print as it goes (only one job can), or keep its output until it ends */
  live?: boolean;
}

const DIST = path.join(__dirname, '..');
const ROOT = path.join(DIST, '..');

/** The unit tests that read what the specs wrote (the course report), so they run once the specs have ended. */
const AFTER_THE_SPECS = ['report-in-browser.test.js'];

const unitTests = (which: (file: string) => boolean) =>
  fs.readdirSync(path.join(DIST, 'test')).filter((file) => file.endsWith('.test.js') && which(file)).map((file) => path.join(DIST, 'test', file));

// two files at a time, as each starts servers and clients of its own
const nodeTest = (files: string[]) => [process.execPath, '--test', '--test-concurrency=2', ...files];

const ARGS = process.argv.slice(2);
/** Given cucumber's arguments (`npm test -- features/01-sequential.feature`), the specs they name are the whole run. */
const WHOLE_GATE = ARGS.length === 0;
const SPECS: Job = { name: 'specs', command: [process.execPath, path.join(DIST, 'scripts', 'run-specs.js'), ...ARGS], live: true };
const BESIDE_THE_SPECS: Job[] = [
  { name: 'unit tests', command: nodeTest(unitTests((file) => !AFTER_THE_SPECS.includes(file))) },
  // the layering docs/internals.md states, as .dependency-cruiser.cjs writes it (npm run deps)
  { name: 'layering', command: ['npm', 'run', '--silent', 'deps'] },
];
const AFTER: Job = { name: 'unit tests of the report', command: nodeTest(unitTests((file) => AFTER_THE_SPECS.includes(file))) };

const INTERRUPTIONS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function run({ name, command: [program, ...args], live = false }: Job, children: Set<ChildProcess>): Promise<{ name: string; code: number | null; signal: NodeJS.Signals | null }> {
  // in a terminal, colour what is kept as it would be coloured there (node --test colours its children's output then)
  const env = !live && process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
  const child = spawn(program, args, { cwd: ROOT, env, stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'] });
  children.add(child);
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      if (!live) process.stdout.write(`\n── ${name} ──\n${Buffer.concat(output).toString()}`);
      resolve({ name, code, signal });
    }),
  );
}

async function main(): Promise<void> {
  const children = new Set<ChildProcess>();
  let interruption: NodeJS.Signals | undefined;
  const interrupt = (signal: NodeJS.Signals) => {
    interruption = signal;
    for (const child of children) child.kill(signal);
  };
  for (const signal of INTERRUPTIONS) process.on(signal, interrupt);
  const specs = run(SPECS, children);
  const afterSpecs = specs.then(async (result) => [result, ...(interruption || !WHOLE_GATE ? [] : [await run(AFTER, children)])]);
  const results = (await Promise.all([afterSpecs, ...(WHOLE_GATE ? BESIDE_THE_SPECS : []).map((job) => run(job, children))])).flat();
  for (const signal of INTERRUPTIONS) process.off(signal, interrupt);
  if (interruption) return void process.kill(process.pid, interruption);
  const failed = results.filter(({ code }) => code !== 0);
  for (const { name, code, signal } of failed) process.stderr.write(`${name} failed (${signal ?? `status ${code}`})\n`);
  process.exitCode = failed.length === 0 ? 0 : (failed[0].code ?? 1);
}

void main();
