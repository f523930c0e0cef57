/**
 * Runs echolab's own specs for one model against anyone's server: cucumber, in this process,
 * on the package's features and its compiled steps, with the server under check as the
 * world's target. Its results are read as cucumber's messages by the one reader of results;
 * nothing is written to disk but the messages, where asked for, so any number of checks can run
 * at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { loadConfiguration, runCucumber, type IConfiguration, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { CheckTarget, EcholabParameters } from '../cucumber/world';
import { startServer, untilAccepting } from '../server-process';
import { MODEL_NAMES, type ModelName } from '../../core/models';
import { PACKAGE_DIR } from '../../core/paths';
import { REMEDY_KINDS, remedyKinds, type Remedies } from '../remedies';
import { hasStopped, isRunningServer, type ServerUnderCheck } from '../session';
import { RunResults } from '../report/results';
import type { ScenarioReport } from '../report/scenarios';
import { COULD_NOT_RUN_MEDIA_TYPE, couldNotRunError } from './could-not-run';

/**
 * Which scenarios check runs: the model's; or, for a server said to have remedies for slow
 * clients, the scenarios of those remedies alone, those of its model and those that fit any
 * model (a remedy changes what clients see, so the plain model's scenarios would judge the
 * remedy). Never a server's event log, which is echolab's own, nor the scenarios about
 * echolab's own servers.
 */
export function checkTags(model: ModelName, remedies: Remedies, leaveOut: string[] = []): string {
  const claimed = remedyKinds(remedies).map((kind) => `@${kind}`);
  const unclaimed = REMEDY_KINDS.map((kind) => `@${kind}`).filter((tag) => !claimed.includes(tag));
  const anyModel = `not (${MODEL_NAMES.map((name) => `@${name}`).join(' or ')})`;
  const scenarios = claimed.length === 0 ? `@${model}` : `(${claimed.join(' or ')}) and (@${model} or ${anyModel})`;
  return [scenarios, ...[...unclaimed, '@white-box', '@course-only', ...leaveOut].map((tag) => `not ${tag}`)].join(' and ');
}

/** The package's compiled steps and support, which the run loads. */
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
  /** a file to append the run's cucumber messages to, one JSON envelope a line, as they come */
  messagesFile?: string;
}

export type CheckVerdict = 'conforms' | 'does not conform';

export interface CheckResult {
  verdict: CheckVerdict;
  scenarios: ScenarioReport[];
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
export async function runSpecs({ target, tickMs, stdout, env, failFast = false, leaveOut = [], messagesFile }: CheckOptions): Promise<CheckResult> {
  const worldParameters: EcholabParameters = { target, tickMs };
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: [path.join(PACKAGE_DIR, 'features', '**', '*.feature')],
        require: [path.join(DIST_DIR, 'support', 'cucumber', '**', '*.js'), path.join(DIST_DIR, 'steps', '**', '*.js')],
        tags: checkTags(target.model, target.remedies ?? {}, leaveOut),
        // a JSON object as far as cucumber knows: it hands it to each scenario's world
        worldParameters: worldParameters as unknown as IConfiguration['worldParameters'],
        failFast,
      },
    },
    { cwd: PACKAGE_DIR, env },
  );
  const formatter = pathToFileURL(path.join(DIST_DIR, 'support', 'check', 'formatter.js')).href;
  const results = new RunResults();
  const environment = { cwd: PACKAGE_DIR, env, stdout, stderr: stdout };
  const { success, support } = await runCucumber(
    {
      ...runConfiguration,
      support: supportLibrary ?? runConfiguration.support,
      formats: {
        ...runConfiguration.formats,
        stdout: formatter,
        files: {},
      },
    },
    environment,
    (envelope) => {
      results.update(envelope);
      // written at once, so that a reader of the file sees a scenario as soon as check prints it
      if (messagesFile) fs.appendFileSync(messagesFile, `${JSON.stringify(envelope)}\n`);
    },
  );
  supportLibrary = support;
  const couldNotRun = results.firstAttachment(COULD_NOT_RUN_MEDIA_TYPE);
  if (couldNotRun !== undefined) throw couldNotRunError(couldNotRun);
  const serverStopped = isRunningServer(target) && hasStopped(target);
  return { verdict: success && !serverStopped ? 'conforms' : 'does not conform', scenarios: results.scenarios(), serverStopped };
}
