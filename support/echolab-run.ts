/**
 * echolab's own commands as the specs of echolab itself run them: as a user does (see
 * command-run.ts), asking `check` for its cucumber messages as well and `classify` for its
 * verdict as JSON, and reading both back here. A step then asks what happened, through the one
 * reader of results and the timeline queries, rather than reading what was printed for people.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Classification } from './classify';
import { runEcholab, type CommandRun } from './command-run';
import { readRuns, type RunResults } from './report/results';

export interface EcholabRun extends CommandRun {
  /** check: its runs of the specs, one per model checked, as its messages tell them */
  runs: RunResults[];
  /** classify: its verdict */
  classification?: Classification;
  /** the JUnit report check wrote, when one was asked for */
  junit?: string;
}

export interface EcholabRunOptions {
  /** run the command line exactly as given, asking for nothing more (to see how it treats bad input) */
  asWritten?: boolean;
  /** ask check for a JUnit report too */
  junit?: boolean;
  /** told once, as soon as check's messages show a scenario that has ended */
  onFirstScenarioEnded?: () => void;
}

/** Runs `echolab <argv>` (check or classify) and reads back what it wrote for programs. */
export async function runAndRead(argv: string[], { asWritten = false, junit = false, onFirstScenarioEnded }: EcholabRunOptions = {}): Promise<EcholabRun> {
  if (asWritten) return { ...(await runEcholab(argv)), runs: [] };
  const [command, ...rest] = argv;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'echolab-run-'));
  const file = (name: string) => path.join(folder, name);
  const asked =
    command === 'check'
      ? ['--messages', file('messages.ndjson'), ...(junit ? ['--junit', file('junit.xml')] : [])]
      : ['--json', file('classify.json')];
  // while check runs, the last line may be half written: only whole lines are read
  const messages = () => {
    const text = fs.existsSync(file('messages.ndjson')) ? fs.readFileSync(file('messages.ndjson'), 'utf8') : '';
    return readRuns(text.slice(0, text.lastIndexOf('\n') + 1));
  };
  let told = false;
  const onStdout = () => {
    if (told || !onFirstScenarioEnded || !messages().some((run) => run.scenarios().length > 0)) return;
    told = true;
    onFirstScenarioEnded();
  };
  try {
    const run = await runEcholab([command, ...asked, ...rest], { onStdout });
    const read = (name: string) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name), 'utf8') : undefined);
    const classified = read('classify.json');
    return {
      ...run,
      runs: messages(),
      classification: classified === undefined ? undefined : (JSON.parse(classified) as { classification?: Classification }).classification,
      junit: read('junit.xml'),
    };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
