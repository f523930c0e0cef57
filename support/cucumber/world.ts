/**
 * The cucumber World: one Session per scenario, plus the few things steps share: which server
 * the scenario asked for, how a verdict becomes a failure, and the client names.
 */
import { setDefaultTimeout, setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { AssertionError } from 'chai';
import type { ModelName } from '../../core/models';
import { articleScripts } from '../clients';
import { costPrintout } from '../cost/printout';
import { probe, serverProcess, type CostProbe } from '../cost/probe';
import type { CostStep } from '../cost/verdict';
import { fixtureCommand } from '../fixtures';
import { limitThreads, ONE_HEAP } from '../os-limits';
import { COST_MEDIA_TYPE } from '../report/scenarios';
import type { CheckedRow } from '../from-outside';
import { runAndRead, type EcholabRun, type EcholabRunOptions } from '../echolab-run';
import { hasStopped, isRunningServer, Session, SPARE_THREADS_FOR_A_CROWD, type ModelSettings, type ServerUnderCheck } from '../session';
import { remedyKinds, type Remedies, type RemedyWords } from '../remedies';
import { tickMsFrom } from '../settings';
import { renderText } from '../timeline/render-text';
import type { Verdict } from '../verdicts';

/** Set by `echolab check`: run the scenarios against this server instead of echolab's own. */
export type CheckTarget = ServerUnderCheck & {
  model: ModelName;
  /** the pool size the server has, for thread-pool */
  workers: number;
  /** what its author says it does about slow clients: the remedies' scenarios are judged by these */
  remedies?: Remedies;
};

/** A server as a scenario names it: a model (and a pool size), or any model at all. */
export interface ServerWords {
  /** undefined: "a server", any model (echolab's sequential one in the course) */
  model?: ModelName;
  workers?: number;
}

export interface EcholabParameters {
  target?: CheckTarget;
  /** ms per tick, for a run that is not to read ECHOLAB_TICK_MS from this process's environment */
  tickMs?: number;
}

// Our own waits (server start-up, client deadlines) end first and say what they waited for.
setDefaultTimeout(60_000);

export class EcholabWorld extends World<EcholabParameters> {
  readonly session = new Session(this.parameters.tickMs ?? tickMsFrom(process.env));
  /** the echolab command the scenario ran last, and what it wrote for programs (the chapters on echolab itself) */
  private lastEcholabRun?: EcholabRun;
  /** the scenario of that run that a step named, for the steps after it to speak of */
  scenarioNamed?: string;
  /** the row of the table the scenario measured, for echolab's server of one model */
  row?: CheckedRow & { server: ModelName };
  /** what the scenario's server cost as idle clients connected */
  private cost?: CostProbe;
  /** the names of the idle clients that flooded the server */
  flooders: string[] = [];
  /** what the scenario's server does about slow clients: the scenario's words, or the claims of the server under check */
  remedies: Remedies = {};
  /** whether the scenario sends a crowd of clients at once (@many-clients, hooks.ts) */
  crowd = false;

  constructor(options: IWorldOptions<EcholabParameters>) {
    super(options);
  }

  /**
   * Starts the model the scenario names, or the server under check. A scenario that asks for
   * a pool size the server under check does not have, or sets its backlog or its limit of threads, is skipped: it
   * cannot say anything. A server that was already running and has stopped cannot be judged any
   * further: the scenario is not run, and says so.
   */
  async startServer(model: ModelName, settings: ModelSettings = {}): Promise<'skipped' | undefined> {
    const { target } = this.parameters;
    if (!target) {
      await this.session.startModel(model, this.crowd ? { spareThreads: SPARE_THREADS_FOR_A_CROWD, ...settings } : settings);
      return undefined;
    }
    const { workers, backlog, maxThreads } = settings;
    if (target.model !== model || (workers !== undefined && workers !== target.workers) || backlog !== undefined || maxThreads !== undefined) return 'skipped';
    if (!isRunningServer(target)) {
      await this.session.startCommand(target);
      return undefined;
    }
    if (hasStopped(target)) {
      this.log(`not run: the server at ${target.host}:${target.port} had stopped accepting connections`);
      return 'skipped';
    }
    this.session.useRunning(target.host, target.port, { judged: true });
    return undefined;
  }

  /**
   * Starts the server the scenario names, applying `remedy` (support/remedies.ts). Under check
   * the server under check is started instead (check runs the scenario only if its author claims
   * that remedy), and its claimed limits replace the scenario's; a scenario that says "a server"
   * fits any model.
   */
  async startServerWithRemedy({ model, workers }: ServerWords, remedy: RemedyWords): Promise<'skipped' | undefined> {
    const { target } = this.parameters;
    if (!target) {
      this.remedies = remedy.settings(this.session.tickMs);
      return this.startServer(model ?? 'sequential', { workers, remedies: this.remedies });
    }
    const claimed = target.remedies ?? {};
    // check runs a remedy's scenarios only for a server said to have it (checkTags)
    if (!remedyKinds(claimed).includes(remedy.kind)) throw new Error(`a scenario of --${remedy.kind} ran against a server not said to have it`);
    this.remedies = claimed;
    return this.startServer(model ?? target.model, { workers });
  }

  /**
   * Starts one of the servers in test/fixtures/ ("article_threads.py"), with a real limit of
   * `threads` threads if given (support/os-limits.ts). Under `echolab check` the scenario is
   * skipped: it is about that server, not the one under check.
   */
  async startFixture(server: string, { threads }: { threads?: number } = {}): Promise<'skipped' | undefined> {
    if (this.parameters.target) return 'skipped';
    if (threads === undefined) {
      await this.session.startCommand({ command: fixtureCommand(server) }, { known: true });
      return undefined;
    }
    await this.session.startCommand({ command: ['env', ONE_HEAP, ...fixtureCommand(server)] }, { known: true });
    await limitThreads(this.session.serverPid!, threads);
    return undefined;
  }

  /**
   * Connects `total` idle clients to the scenario's server, `step` at a time, and measures what
   * its processes hold before the first and after each step (support/cost/probe.ts). What it
   * measured is attached, as a table for people and as JSON for echolab's report. A server
   * whose processes cannot be seen from here (under `echolab check`, one on another machine)
   * leaves the scenario not run, saying why.
   */
  async measureCost(total: number, step: number): Promise<'skipped' | undefined> {
    const address = this.session.serverAddress;
    if (!address) throw new Error('no server was started in this scenario');
    const pid = serverProcess(address, this.session.serverPid);
    if (typeof pid === 'string') {
      this.log(`not run: ${pid}`);
      return 'skipped';
    }
    const steps = Array.from({ length: Math.floor(total / step) + 1 }, (_, i) => i * step);
    this.cost = await probe({ ...address, pid }, steps);
    this.attach(costPrintout(this.cost), 'text/plain');
    this.attach(JSON.stringify(this.cost.steps), COST_MEDIA_TYPE);
    return undefined;
  }

  get costSteps(): CostStep[] {
    if (!this.cost) throw new Error('no cost was measured in this scenario');
    return this.cost.steps;
  }

  /** Fails the step with the verdict's sentence and what the server cost at each step. */
  verifyCost(verdict: Verdict): void {
    if (verdict === undefined) return;
    throw new AssertionError(`${verdict}\n\n${costPrintout(this.cost!)}`);
  }

  /** Runs `echolab <argv>` (check or classify) as a user does, and keeps it as the scenario's last run. */
  async runEcholab(argv: string[], options?: EcholabRunOptions): Promise<void> {
    this.lastEcholabRun = await runAndRead(argv, options);
  }

  get lastRun(): EcholabRun {
    if (!this.lastEcholabRun) throw new Error('no echolab command was run in this scenario');
    return this.lastEcholabRun;
  }

  /** The article's client program for each name. */
  runArticleClients(names: string[], messages: string[], { startGapMs = 0, pauseTicks = 1 } = {}): Promise<void> {
    return this.session.run(articleScripts(names, messages, pauseTicks), { startGapMs });
  }

  /**
   * `first` connects, gets its echo and stays a while, keeping a sequential server busy; only
   * then do `others` connect, one after another, each sending one message.
   */
  runArrivalsWhileBusy(first: string, others: string[]): Promise<void> {
    const busy = { name: first, messages: ['Hello'], holdTicks: 5 };
    const arrivals = others.map((name) => ({ name, messages: ['Hello'], after: first }));
    return this.session.run([busy, ...arrivals], { startGapMs: this.session.tickMs / 10 });
  }

  /** Fails the step with the verdict's sentence and the timeline it was read from. */
  verify(verdict: Verdict): void {
    if (verdict === undefined) return;
    throw new AssertionError(`${verdict}\n\n${renderText(this.session.timeline())}`);
  }
}

setWorldConstructor(EcholabWorld);
