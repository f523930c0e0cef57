/**
 * Runs echolab's own specs for one model against anyone's server: cucumber, in this process,
 * on the package's features and its compiled steps, with the server under check as the
 * world's target. Nothing is written to disk but a JUnit report asked for, so any number of
 * checks can run at once.
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Status } from '@cucumber/cucumber';
import { loadConfiguration, runCucumber, type IConfiguration, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope, TestStepResultStatus } from '@cucumber/messages';
import { PACKAGE_DIR } from '../../core/paths';
import type { CheckTarget, EcholabParameters } from '../cucumber/world';
import { startServer, untilAccepting } from '../server-process';
import { hasStopped, isRunningServer, type ServerUnderCheck } from '../session';
import { COULD_NOT_RUN_MEDIA_TYPE, couldNotRunError } from './could-not-run';

const DIST_DIR = path.join(PACKAGE_DIR, 'dist');

export interface CheckOptions {
  target: CheckTarget;
  /** ms per tick for the scenarios' clients */
  tickMs: number;
  /** where the scenarios and the summary are printed */
  stdout: Writable;
  env: NodeJS.ProcessEnv;
  /** stop at the first scenario that fails (enough to know that it does not conform) */
  failFast?: boolean;
  /** tags whose scenarios to leave out */
  leaveOut?: string[];
  /** where to write cucumber's JUnit XML report of the run, if anywhere */
  junitFile?: string;
}

export interface ScenarioResult {
  name: string;
  status: TestStepResultStatus;
  /** the first line of the first failing step's message */
  why?: string;
}

export type CheckVerdict = 'conforms' | 'does not conform';

export interface CheckResult {
  verdict: CheckVerdict;
  scenarios: ScenarioResult[];
  /** a server that was already running stopped accepting connections, during this run or before it */
  serverStopped: boolean;
}

/**
 * Starts the server once and stops it, or waits for a running one to accept a connection: a
 * clear ECHOLAB_SERVER_START now, rather than a failure in every scenario.
 */
export async function ensureServerAnswers(server: ServerUnderCheck & { startupTimeoutMs: number }): Promise<void> {
  if (isRunningServer(server)) return untilAccepting(server.host, server.port, server.startupTimeoutMs);
  const { command, port, host, startupTimeoutMs } = server;
  const started = await startServer({ command, port, host, readiness: 'port', startupTimeoutMs });
  await started.stop();
}

/** The support code is loaded once per process: a second load would find every file already required. */
let supportLibrary: ISupportCodeLibrary | undefined;

/**
 * Runs every client-observable scenario of the target's model against fresh instances of the
 * server. Rejects with an EcholabError if a scenario could not run the server at all.
 */
export async function runSpecs({ target, tickMs, stdout, env, failFast = false, leaveOut = [], junitFile }: CheckOptions): Promise<CheckResult> {
  const worldParameters: EcholabParameters = { target, tickMs };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [path.join(PACKAGE_DIR, 'features', '**', '*.feature')],
        require: [path.join(DIST_DIR, 'support', 'cucumber', '**', '*.js'), path.join(DIST_DIR, 'steps', '**', '*.js')],
        tags: [`@${target.model}`, ...['@white-box', ...leaveOut].map((tag) => `not ${tag}`)].join(' and '),
        // a JSON object as far as cucumber knows: it hands it to each scenario's world
        worldParameters: worldParameters as unknown as IConfiguration['worldParameters'],
        failFast,
      },
    },
    { cwd: PACKAGE_DIR, env },
  );
  const formatter = pathToFileURL(path.join(DIST_DIR, 'support', 'check', 'formatter.js')).href;
  const scenarios = new ScenarioCollector();
  const environment = { cwd: PACKAGE_DIR, env, stdout, stderr: stdout };
  const { success, support } = await runCucumber(
    {
      ...runConfiguration,
      support: supportLibrary ?? runConfiguration.support,
      formats: {
        ...runConfiguration.formats,
        stdout: formatter,
        files: junitFile ? { [junitFile]: 'junit' } : {},
        options: { ...runConfiguration.formats.options, junit: { suiteName: `echolab check --model ${target.model}` } },
      },
    },
    environment,
    (envelope) => scenarios.read(envelope),
  );
  supportLibrary = support;
  scenarios.throwIfCouldNotRun();
  const serverStopped = isRunningServer(target) && hasStopped(target);
  return { verdict: success && !serverStopped ? 'conforms' : 'does not conform', scenarios: scenarios.results(), serverStopped };
}

/** Each scenario's outcome, and the first reason a scenario gave for not being able to run the server, from cucumber's messages. */
class ScenarioCollector {
  private readonly names = new Map<string, string>();
  private readonly pickleOfTestCase = new Map<string, string>();
  private readonly testCaseOfStarted = new Map<string, string>();
  private readonly worst = new Map<string, TestStepResultStatus>();
  private readonly why = new Map<string, string>();
  private couldNotRun?: string;

  read({ pickle, testCase, testCaseStarted, testStepFinished, attachment }: Envelope): void {
    if (pickle) this.names.set(pickle.id, pickle.name);
    if (testCase) this.pickleOfTestCase.set(testCase.id, testCase.pickleId);
    if (testCaseStarted) this.testCaseOfStarted.set(testCaseStarted.id, testCaseStarted.testCaseId);
    if (testStepFinished) {
      const { testCaseStartedId: id, testStepResult } = testStepFinished;
      if (RANK.indexOf(testStepResult.status) > RANK.indexOf(this.worst.get(id) ?? Status.UNKNOWN)) this.worst.set(id, testStepResult.status);
      if (testStepResult.message && !this.why.has(id)) this.why.set(id, testStepResult.message.split('\n')[0].replace(ERROR_NAME, ''));
    }
    if (attachment?.mediaType === COULD_NOT_RUN_MEDIA_TYPE) this.couldNotRun ??= attachment.body;
  }

  throwIfCouldNotRun(): void {
    if (this.couldNotRun !== undefined) throw couldNotRunError(this.couldNotRun);
  }

  results(): ScenarioResult[] {
    return [...this.testCaseOfStarted].map(([started, testCase]) => ({
      name: this.names.get(this.pickleOfTestCase.get(testCase) ?? '') ?? '?',
      status: this.worst.get(started) ?? Status.UNKNOWN,
      why: this.why.get(started),
    }));
  }
}

/** What a step's message begins with before the sentence itself, such as `AssertionError: `. */
const ERROR_NAME = /^\w*Error: /;

/** Worst last, as cucumber ranks a scenario by its worst step. */
const RANK: TestStepResultStatus[] = [Status.UNKNOWN, Status.PASSED, Status.SKIPPED, Status.PENDING, Status.UNDEFINED, Status.AMBIGUOUS, Status.FAILED];
