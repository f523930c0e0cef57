/** Options shared by several commands, as commander declares them; a bad value is a one-line usage error. */
import fs from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import { usageError } from '../core/errors';

/** A parser for an option's value that takes only a whole number from `min` to `max`. */
export function wholeNumber(name: string, { min, max }: { min: number; max: number }): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw usageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
    }
    return number;
  };
}

/** `--name <n>` (or another placeholder than n): a whole number from `min` to `max`, `fallback` when not given. */
export function numberOption(name: string, description: string, range: { min: number; max: number }, fallback?: number, placeholder = 'n'): Option {
  const option = new Option(`--${name} <${placeholder}>`, description).argParser(wholeNumber(name, range));
  return fallback === undefined ? option : option.default(fallback);
}

export const portOption = (description: string, fallback: number) => numberOption('port', description, { min: 0, max: 65535 }, fallback);

/** A parser for an option's value that takes only an IPv4 address in dotted decimal, such as 127.0.0.2. */
export function ipv4Address(name: string): (value: string) => string {
  return (value) => {
    const octets = value.split('.');
    if (octets.length !== 4 || octets.some((octet) => !/^(0|[1-9]\d{0,2})$/.test(octet) || Number(octet) > 255)) {
      throw usageError(`--${name} must be an IPv4 address such as 127.0.0.2, not "${value}"`);
    }
    return value;
  };
}

export const workersOption = (description: string) => numberOption('workers', description, { min: 1, max: 1000 }, 2);

/** `--tick-ms`: read when the command runs, as its default may come from ECHOLAB_TICK_MS (see support/settings.ts). */
export const tickOption = (fallbackMs: number) =>
  new Option('--tick-ms <ms>', `how long one tick lasts, from 10 to 10000 ms (default: ECHOLAB_TICK_MS if set, else ${fallbackMs})`);

/**
 * A file a command is asked to write its results to, resolved from `cwd` and made empty now:
 * a place that cannot be written is bad input, said in one line before any server starts.
 */
export function outputFile(option: string, file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const resolved = path.resolve(cwd, file);
  try {
    fs.writeFileSync(resolved, '');
  } catch (error) {
    throw usageError(`${option} ${file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return resolved;
}
