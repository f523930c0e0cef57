/** Small, strict parsers for command-line values: a bad value is a one-line usage error. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from '../support/errors';

export function parseCommandLine<T extends ParseArgsConfig['options']>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function integerOption(value: string | undefined, name: string, { min, max }: { min: number; max: number }, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

export const portOption = (value: string | undefined, fallback: number) => integerOption(value, 'port', { min: 0, max: 65535 }, fallback);
