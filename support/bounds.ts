/**
 * A bound a chapter's Examples give a measured figure, in words: "between 0.9 and 1.1",
 * "less than 0.05", "more than 1 MiB", "at most 256 KiB". Pure: the words in, a test out, so
 * that the figures a chapter expects stay in the chapter and nowhere in the code.
 */

export interface Bound {
  /** the words it was read from, for a verdict to quote */
  text: string;
  /** the least value allowed, and whether that value itself is allowed */
  low?: { value: number; inclusive: boolean };
  high?: { value: number; inclusive: boolean };
}

const UNITS: Record<string, number> = { '': 1, byte: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

const NUMBER = String.raw`(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|bytes?)?`;
const FORMS: [RegExp, (a: number, b: number) => Omit<Bound, 'text'>][] = [
  [new RegExp(`^between ${NUMBER} and ${NUMBER}$`), (a, b) => ({ low: { value: a, inclusive: true }, high: { value: b, inclusive: true } })],
  [new RegExp(`^less than ${NUMBER}$`), (a) => ({ high: { value: a, inclusive: false } })],
  [new RegExp(`^at most ${NUMBER}$`), (a) => ({ high: { value: a, inclusive: true } })],
  [new RegExp(`^more than ${NUMBER}$`), (a) => ({ low: { value: a, inclusive: false } })],
  [new RegExp(`^at least ${NUMBER}$`), (a) => ({ low: { value: a, inclusive: true } })],
];

/** The words of any bound, for a step's pattern. */
export const BOUND_PATTERN = /(?:between [\d.]+(?: (?:KiB|MiB|GiB|bytes?))? and|less than|at most|more than|at least) [\d.]+(?: (?:KiB|MiB|GiB|bytes?))?/;

/** Reads a bound; a number with a unit (KiB, MiB, GiB) is in bytes. */
export function parseBound(text: string): Bound {
  for (const [form, make] of FORMS) {
    const match = form.exec(text.trim());
    if (!match) continue;
    const numbers = [[match[1], match[2]], [match[3], match[4]]].filter(([n]) => n !== undefined).map(([n, unit]) => Number(n) * UNITS[unit ?? '']);
    return { text: text.trim(), ...make(numbers[0], numbers[1]) };
  }
  throw new Error(`not a bound: "${text}" (say "between 1 and 2", "less than 3", "at most 4 MiB", "more than 5" or "at least 6")`);
}

export function withinBound(value: number, { low, high }: Bound): boolean {
  if (low && (low.inclusive ? value < low.value : value <= low.value)) return false;
  if (high && (high.inclusive ? value > high.value : value >= high.value)) return false;
  return true;
}
