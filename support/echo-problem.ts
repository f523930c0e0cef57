/**
 * What is wrong with an echo, in words its server's author can act on: which bytes changed and
 * how, bytes that belong to another client's stream, a connection the server closed while its
 * client was still there, bytes lost past some size. Pure: what one client sent and every byte
 * it got back (and what the other clients sent) in, one sentence out. The clients record; this
 * judges, apart from when anything came back, which is the question of who is served.
 */

/** A message as a client sent it: its bytes, and how a sentence names it. */
export interface SentMessage {
  bytes: Uint8Array;
  /** `"Hello"`, `<binary 3 MiB>`, `the 3 MiB payload` */
  prose: string;
}

/** One connection, as its client saw it. */
export interface Transcript {
  /** whose connection it was; none where the message's own name says enough */
  client?: string;
  /** every message it sent, in order */
  sent: readonly SentMessage[];
  /** every byte that came back, in order */
  received: Buffer;
  /** whether the server closed the connection before the client did */
  closedByServer: boolean;
  /** set when the client stopped waiting for the rest of its echo after this long */
  gaveUpAfterMs?: number;
}

/** Texts up to this long are shown whole: "came back as "HELLO"". */
const SHOWN_WHOLE = 40;
/** How many bytes an excerpt shows, from the first that differs. */
const EXCERPT_BYTES = 8;
/** A run of bytes this long that another client sent is its, not a coincidence. */
const FOREIGN_RUN_BYTES = 4;
/** The longest run of another client's bytes looked for, and shown. */
const FOREIGN_SHOWN_BYTES = 24;

/**
 * What is wrong with what came back on a connection that has nothing more coming (it was
 * closed, or its client stopped waiting), or undefined if it is the echo of everything sent,
 * byte for byte. `others` are the other clients' connections at the time (it may be among
 * them): bytes of their streams are named as theirs.
 */
export function echoProblem(transcript: Transcript, others: readonly Transcript[] = []): string | undefined {
  const expected = Buffer.concat(transcript.sent.map((message) => message.bytes));
  const { received } = transcript;
  const shared = Math.min(expected.length, received.length);
  let differs = 0;
  while (differs < shared && expected[differs] === received[differs]) differs += 1;
  if (differs < shared || received.length > expected.length) {
    const foreign = fromAnotherStream(transcript, expected, differs, others);
    if (foreign) return foreign;
    return differs < shared ? changed(transcript, differs) : extra(transcript, expected.length);
  }
  if (received.length < expected.length) return lost(transcript);
  return transcript.closedByServer ? closedEarly(transcript) : undefined;
}

/**
 * Bytes `from` on that another client sent: a longer run of them than this client sent itself
 * (a server that sends a client its own bytes twice, or out of place, mixes no streams).
 */
function fromAnotherStream(transcript: Transcript, expected: Buffer, from: number, others: readonly Transcript[]): string | undefined {
  const rest = transcript.received.subarray(from, from + FOREIGN_SHOWN_BYTES);
  const owners = others.filter((other) => other !== transcript && other.client !== undefined);
  const runs = owners.map((other) => longestPrefixIn(rest, Buffer.concat(other.sent.map((message) => message.bytes))));
  const run = Math.max(0, ...runs);
  if (run < FOREIGN_RUN_BYTES || run <= longestPrefixIn(rest, expected)) return undefined;
  const senders = owners.filter((_, i) => runs[i] === run).map((other) => other.client!);
  const instead = from < expected.length ? `, in place of the echo of ${messageAt(transcript, from).message.prose}` : '';
  const cut = run === FOREIGN_SHOWN_BYTES && transcript.received.length - from > run; // the run goes on past what is shown
  return `${who(transcript)} received ${excerpt(rest.subarray(0, run), cut)}, which ${senders.length === 1 ? 'client' : 'clients'} ${joinNames(senders)} sent${instead}`;
}

/** Bytes of a message's echo that are not the ones sent: which, from where, and how they changed. */
function changed(transcript: Transcript, at: number): string {
  const { message, start } = messageAt(transcript, at);
  const sent = Buffer.from(message.bytes);
  const got = transcript.received.subarray(start, start + sent.length);
  const how = howChanged(sent, got);
  if (showable(sent) && showable(got)) return `${whose(transcript)} echo of ${message.prose} came back as ${JSON.stringify(got.toString('latin1'))}: ${how}`;
  const offset = at - start;
  const shown = (bytes: Buffer) => excerpt(bytes.subarray(offset, offset + EXCERPT_BYTES), bytes.length > offset + EXCERPT_BYTES);
  return `${whose(transcript)} echo of ${message.prose} came back changed from byte ${offset} on: ${how} (${shown(sent)} came back as ${shown(got)})`;
}

/** "letters changed case", or how many bytes did. */
function howChanged(sent: Buffer, got: Buffer): string {
  let count = 0;
  let caseOnly = true;
  for (let i = 0; i < got.length; i += 1) {
    if (got[i] === sent[i]) continue;
    count += 1;
    caseOnly &&= isLetter(sent[i]) && got[i] === (sent[i] ^ 0x20);
  }
  return caseOnly ? 'letters changed case' : `${count} of its ${sent.length} bytes changed`;
}

const isLetter = (byte: number) => (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);

/** More came back than was sent, none of it another client's. */
function extra(transcript: Transcript, from: number): string {
  const more = transcript.received.subarray(from);
  const shown = excerpt(more.subarray(0, EXCERPT_BYTES * 2), more.length > EXCERPT_BYTES * 2);
  const last = transcript.sent.at(-1);
  if (!last) return `${who(transcript)} received ${shown} before it had sent anything`;
  return `after ${whose(transcript)} echo of ${last.prose}, ${size(more.length)} more came back: ${shown}`;
}

/** Less came back than was sent, and no more was coming. */
function lost(transcript: Transcript): string {
  const got = transcript.received.length;
  const { message, start, index } = messageAt(transcript, got);
  const ending = transcript.gaveUpAfterMs === undefined ? '' : ` within ${transcript.gaveUpAfterMs} ms`;
  if (got > start) {
    const then = transcript.closedByServer ? ', then the server closed the connection' : ending;
    return `of ${message.prose}, only the first ${size(got - start, 'byte')} came back${transcript.client ? ` to client ${transcript.client}` : ''}${then}`;
  }
  if (transcript.closedByServer) return `the server closed ${whoseConnection(transcript)} ${index === 0 ? 'without answering' : `after ${echoes(index)}:`} ${message.prose}${index === 0 ? '' : ' got no answer'}`;
  return `${index === 0 ? '' : `after ${echoes(index)}, `}nothing came back${transcript.client ? ` to client ${transcript.client}` : ''} for ${message.prose}${ending}`;
}

/** Everything sent came back, and then the server closed a connection its client had not. */
function closedEarly(transcript: Transcript): string {
  const count = transcript.sent.length;
  const when = count === 0 ? 'before it had sent anything' : `after ${echoes(count)}`;
  return `the server closed ${whoseConnection(transcript)} ${when}, before ${transcript.client ?? 'the client'} had closed it`;
}

/** The message the byte at `offset` of the stream belongs to (the last one, past the end). */
function messageAt(transcript: Transcript, offset: number): { message: SentMessage; start: number; index: number } {
  let start = 0;
  for (const [index, message] of transcript.sent.entries()) {
    if (offset < start + message.bytes.length || index === transcript.sent.length - 1) return { message, start, index };
    start += message.bytes.length;
  }
  throw new Error('a transcript with bytes to judge has sent something');
}

/** How many bytes at the start of `run` appear together somewhere in `stream`. */
function longestPrefixIn(run: Buffer, stream: Buffer): number {
  // a prefix that appears has every shorter prefix appear too: search for the longest
  let [low, high] = [0, run.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (stream.indexOf(run.subarray(0, mid)) >= 0) low = mid;
    else high = mid - 1;
  }
  return low;
}

const who = (transcript: Transcript) => (transcript.client ? `client ${transcript.client}` : 'the client');
const whose = (transcript: Transcript) => (transcript.client ? `client ${transcript.client}'s` : 'the');
const whoseConnection = (transcript: Transcript) => `${whose(transcript)} connection`;
const echoes = (count: number) => (count === 1 ? 'the first echo' : `${count} echoes`);
const joinNames = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** Printable ASCII, short enough to show whole. */
const showable = (bytes: Buffer) => bytes.length <= SHOWN_WHOLE && bytes.every((byte) => byte >= 0x20 && byte < 0x7f);

/** Bytes as text in quotes if they are printable, else in hex; `…` if more followed. */
function excerpt(bytes: Buffer, more: boolean): string {
  const text = bytes.every((byte) => byte >= 0x20 && byte < 0x7f) ? JSON.stringify(bytes.toString('latin1')) : `hex ${bytes.toString('hex').replace(/(..)(?!$)/g, '$1 ')}`;
  return more ? `${text}…` : text;
}

/** An exact number of bytes: "1 byte", "5 bytes", "64 KiB", "3 MiB", "65537 bytes". */
function size(bytes: number, one = '1 byte'): string {
  if (bytes === 1) return one;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
