/**
 * Which model an unknown server behaves like, decided from what probing clients observed.
 * Pure: the observations come in, a verdict and its evidence come out.
 *
 * From outside, a server shows how many clients it serves at once, in what order it takes
 * the ones that wait, and whether one idle client, or one client that does not read, holds up
 * the rest; support/from-outside.ts has what each model shows. Where two models show the same
 * (a thread per client and async), what the machine sees of the server's threads tells them
 * apart, if the server runs on this machine (support/from-this-machine.ts): a thread, or a
 * process, per connection, or none. Where it cannot be seen, the verdict names both.
 *
 * Whether what comes back is the echo is another question, asked apart: a client is served
 * once bytes come back to it at all. A server whose echo is wrong still behaves like the model
 * its serving matches, and the verdict says what is wrong with its echo next to it.
 */
import { MODEL_NAMES, type ModelName } from '../core/models';
import type { CostLook, CostSlopes, CostVerdict } from './cost/verdict';
import { LOOKS, QUESTIONS, looksAlike, type Question, type ServedAtOnce } from './from-outside';
import { machineTellsApart, OWN_THREAD_PER_CONNECTION, ownThreadSeen } from './from-this-machine';
import { renderMarkdownTable } from './markdown-table';

/** The probes, in the order they run: the one most likely to kill a server last. */
export const PROBES = ['crowd', 'idle client', 'integrity', 'client that does not read'] as const;
export type ProbeName = (typeof PROBES)[number];

/** What the clients of each probe did, as said of a server that crashed meanwhile: "it crashes when …". */
const CRASHES_WHEN: Record<ProbeName, string> = {
  crowd: 'clients come, wait their turn and leave',
  'idle client': 'a client that sat idle leaves',
  integrity: 'a client sends it a large payload',
  'client that does not read': 'a client hangs up without reading its echoes',
};

export interface Crash {
  /** the probe whose clients it died under */
  probe: ProbeName;
  /** how it ended, with the line it wrote about it, e.g. `server "…" exited with status 1 …: ConnectionResetError: …` */
  how: string;
}

/**
 * What the machine showed of the server's processes as idle connections were added (the outcome
 * of support/cost/probe.ts's measureCost), or why it could not be seen.
 */
export type CostSeen = { seen: true; probe: { verdict: CostVerdict; slopes: CostSlopes } } | { seen: false; why: string };

export interface Observations {
  /** the most clients that came to be served at once: the most this can tell */
  bound: number;
  /** the most of them served at the same moment */
  servedAtOnce: number;
  /** connected clients to which nothing came back, even after the others had left */
  unserved: string[];
  /** whether the clients that had to wait were served in the order they connected */
  waitersInArrivalOrder: boolean;
  /** whether a client that was served and then sat idle kept the next client from being served */
  slowClientBlocks: boolean;
  /** whether a client sending much and reading nothing kept another client from being served */
  nonReaderStalls: boolean;
  /** the largest random payload sent, e.g. "3 MiB" */
  largestPayload: string;
  /** undefined if every client got back exactly what it sent (random payloads too), else what was wrong with the first echo that was not */
  echoProblem: string | undefined;
  /** a client whose connection did not complete while others waited to be served: the listen backlog was full */
  backlogFull?: { client: string; waiting: number };
  /** the server died while a probe's clients talked to it (the probes after it had a fresh one) */
  crash?: Crash;
  /** what its threads cost per connection, looked at where that tells apart models its clients could not (wantsCost) */
  cost?: CostSeen;
}

/**
 * What the machine saw of a server's threads, in classify's words: a process per client, a
 * thread per client (threads that follow the connections, though a few were started ahead), one
 * thread for all connections (threads that do not grow, which in a server that serves everyone at
 * once means an event loop: Node's own helper threads beside it do not grow either), or threads
 * that grow by too little to say.
 */
export type SeenInside = Exclude<CostLook, 'a fixed number of threads'>;

export interface Classification {
  /** the models it behaves like: none if something it did fits no model */
  models: ModelName[];
  /** the models it resembles most */
  closest: ModelName[];
  /** the pool size, when it resembles a thread pool */
  workers?: number;
  /** what it did that its closest models would not */
  mismatches: string[];
  /** what was seen that no model is about, such as a full listen backlog */
  notes: string[];
  /** what was wrong with its echo, whichever model its serving matches */
  echoProblem?: string;
  /** when a probe's clients made it die: when ("when a client hangs up without reading its echoes") and how */
  crash?: { when: string; how: string };
  /**
   * Where its cost was looked at: what the machine saw of its threads, the figures ("20 idle
   * connections added 20 OS threads") and whether that told apart the models its clients could
   * not; or why it could not be seen.
   */
  inside?: { seen: SeenInside; figures: string; toldApart: boolean } | { unseen: string };
}

/** Each question as a row of the evidence, and as said of a server that did, or did not. */
const SAID: Record<Question, { yes: string; no: string }> = {
  waitersInArrivalOrder: {
    yes: 'clients that wait are served in the order they connected',
    no: 'clients that wait are not served in the order they connected',
  },
  slowClientBlocks: {
    yes: 'an idle client holds up the next one',
    no: 'an idle client does not hold up the next one',
  },
  nonReaderStalls: {
    yes: 'a client that does not read holds up another one',
    no: 'a client that does not read holds up nobody',
  },
};

function servedAtOnceOf({ servedAtOnce, bound }: Observations): ServedAtOnce {
  if (servedAtOnce <= 1) return 'one';
  return servedAtOnce < bound ? 'its workers' : 'everyone';
}

/** The questions on which `model` would have answered otherwise. */
const differences = (observations: Observations, model: ModelName): Question[] => QUESTIONS.filter((question) => LOOKS[model][question] !== observations[question]);

/** The models that serve as many at once as this server did and differ from it on the fewest questions. */
function closestModels(observations: Observations): ModelName[] {
  const candidates = MODEL_NAMES.filter((model) => LOOKS[model].servedAtOnce === servedAtOnceOf(observations));
  const fewest = Math.min(...candidates.map((model) => differences(observations, model).length));
  const best = candidates.filter((model) => differences(observations, model).length === fewest);
  return best.filter((model) => looksAlike(LOOKS[model], LOOKS[best[0]]));
}

/** Whether what the machine sees of the server's threads would tell apart the models its clients could not: then its cost is wanted. */
export const wantsCost = (observations: Observations): boolean => machineTellsApart(closestModels(observations));

/** The models the server's threads, where they were seen, leave of those its clients could not tell apart, and what was seen. */
function lookInside(closest: ModelName[], cost: CostSeen | undefined): Pick<Classification, 'closest' | 'inside'> {
  if (!cost) return { closest };
  if (!cost.seen) return { closest, inside: { unseen: cost.why } };
  const { verdict } = cost.probe;
  const ownThread = ownThreadSeen(cost.probe);
  const left = closest.filter((model) => OWN_THREAD_PER_CONNECTION[model] === ownThread);
  const toldApart = left.length > 0 && left.length < closest.length;
  return { closest: toldApart ? left : closest, inside: { seen: seenInside(verdict.looksLike, ownThread), figures: verdict.threads, toldApart } };
}

function seenInside(looksLike: CostLook, ownThread: boolean | undefined): SeenInside {
  if (ownThread === undefined) return 'threads that grow, but not one per client';
  if (!ownThread) return 'one thread for all connections';
  return looksLike === 'a process per client' ? looksLike : 'a thread per client';
}

export function classify(observations: Observations): Classification {
  const { closest, inside } = lookInside(closestModels(observations), observations.cost);
  const mismatches = differences(observations, closest[0]).map((question) => SAID[question][observations[question] ? 'yes' : 'no']);
  const { unserved, echoProblem, backlogFull, crash } = observations;
  if (unserved.length > 0) {
    mismatches.unshift(`${unserved.length > 1 ? `clients ${unserved.join(', ')} were` : `client ${unserved[0]} was`} never served, even once the others had left`);
  }
  const notes = backlogFull
    ? [
        `the listen backlog had room for only ${backlogFull.waiting} waiting client${backlogFull.waiting === 1 ? '' : 's'}: ` +
          `client ${backlogFull.client}'s connection did not complete, so fewer clients waited (a larger backlog in listen() makes more room)`,
      ]
    : [];
  return {
    models: mismatches.length === 0 ? closest : [],
    closest,
    workers: LOOKS[closest[0]].servedAtOnce === 'its workers' ? observations.servedAtOnce : undefined,
    mismatches,
    notes,
    echoProblem,
    crash: crash && { when: `when ${CRASHES_WHEN[crash.probe]}`, how: crash.how },
    inside,
  };
}

/** Whether the server behaved like a model, echoed right and lived through every probe: `classify` exits 0 then. */
export const behavedWell = (result: Classification): boolean => result.models.length > 0 && result.echoProblem === undefined && result.crash === undefined;

/**
 * Whether clients were served first come, first served: the first `atOnce` to connect were
 * served first (in any order among themselves, being served side by side), and every later
 * one in the order it connected. `served` lists clients in the order they were first served.
 */
export function firstComeFirstServed(arrival: string[], served: string[], atOnce: number): boolean {
  const expected = arrival.filter((client) => served.includes(client));
  const firstWave = new Set(expected.slice(0, atOnce));
  return served.every((client, i) => (i < atOnce ? firstWave.has(client) : client === expected[i]));
}

/** "thread-pool with 2 workers", "thread-per-client or async". */
export function describeModels(models: ModelName[], workers?: number): string {
  const names = models.length < 2 ? models.join('') : `${models.slice(0, -1).join(', ')} or ${models.at(-1)}`;
  return workers === undefined ? names : `${names} with ${workers} workers`;
}

/**
 * The verdict in a sentence: the model, what the machine saw where that told it apart, what is
 * wrong with its echo, and how the server crashed, if it did; then, where models stay that its
 * clients could not tell apart, why its threads did not.
 */
export function verdictLine(result: Classification): string {
  const untold = result.closest.length > 1 ? untoldLine(result.inside) : undefined;
  return untold ? `${modelSentence(result)}\n${untold}` : modelSentence(result);
}

function modelSentence(result: Classification): string {
  const closest = describeClosest(result);
  const crashes = result.crash && `it crashes ${result.crash.when}:\n${result.crash.how}`;
  const faults = [...(result.echoProblem ? [`its echo is wrong: ${result.echoProblem}`] : []), ...(crashes ? [crashes] : [])];
  const end = crashes ? '' : '.'; // the crash ends with the line the server wrote
  if (result.models.length === 0) return `It behaves like no model. Closest: ${closest}, but ${[...result.mismatches, ...faults].join('; ')}${end}`;
  const apart = result.models.length > 1 ? ' (from outside these cannot be told apart)' : '';
  return faults.length > 0 ? `It behaves like ${closest}${apart}, but ${faults.join('; ')}${end}` : `It behaves like ${closest}${apart}.`;
}

/** The closest models, and where the machine told them from those its clients could not, what it saw. */
function describeClosest({ closest, workers, inside }: Classification): string {
  const models = describeModels(closest, workers);
  if (!inside || 'unseen' in inside || !inside.toldApart) return models;
  const { seen, figures } = inside;
  if (seen === 'a process per client') return `a process per client (like ${models} from outside), as ${figures}`;
  const words = seen === 'one thread for all connections' ? `${seen}: an event loop, or a select loop that never blocks` : seen;
  return `${models} (${words}), as ${figures}`;
}

/** Why what the machine saw, or could not see, left models that its clients could not tell apart. */
function untoldLine(inside: Classification['inside']): string | undefined {
  if (!inside) return undefined;
  const but = 'unseen' in inside ? inside.unseen : `on this machine ${inside.figures}: ${inside.seen}`;
  return `Threads per connection would tell them apart, but ${but}.`;
}

/** The evidence as a table: each probe in the order it ran, what the server did, and what its closest model would do. */
export function evidenceTable(observations: Observations, result: Classification): string {
  const looks = LOOKS[result.closest[0]];
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  const question = (name: Question): [string, string, string] => [SAID[name].yes, yesNo(observations[name]), yesNo(looks[name])];
  const rows: [string, string, string][] = [
    [`clients served at the same time (as many as ${observations.bound} are tried)`, atOnce(observations), atOnceOf(looks.servedAtOnce, observations)],
    question('waitersInArrivalOrder'),
    question('slowClientBlocks'),
    [`every client gets back the bytes it sent, random payloads up to ${observations.largestPayload} too`, observations.echoProblem ? 'no' : 'yes', 'yes'],
    question('nonReaderStalls'),
    ['the server lives through every probe', result.crash ? `no: it crashes ${result.crash.when}` : 'yes', 'yes'],
    ...(result.inside ? [insideRow(result.inside, result.closest)] : []),
  ];
  const table = renderMarkdownTable(['probe', 'observed', describeModels(result.closest, result.workers)], rows);
  return [table, ...result.notes.map((note) => `Note: ${note}.`)].join('\n');
}

/** What the machine saw of the server's threads, or why it could not, beside what its closest models have. */
function insideRow(inside: NonNullable<Classification['inside']>, closest: ModelName[]): [string, string, string] {
  const observed = 'unseen' in inside ? inside.unseen : `${inside.seen}: ${inside.figures}`;
  const own = [...new Set(closest.map((model) => OWN_THREAD_PER_CONNECTION[model]))];
  const expected = own.map((ownThread) => (ownThread ? 'a thread or a process per client' : 'one thread for all connections')).join(', or ');
  return ['OS threads (or processes) that idle connections add, read from /proc on this machine', observed, expected];
}

function atOnce({ servedAtOnce, bound }: Observations): string {
  return servedAtOnce >= bound ? `at least ${bound}` : String(servedAtOnce);
}

function atOnceOf(servedAtOnce: ServedAtOnce, observations: Observations): string {
  if (servedAtOnce === 'one') return '1';
  return servedAtOnce === 'its workers' ? String(observations.servedAtOnce) : `at least ${observations.bound}`;
}
