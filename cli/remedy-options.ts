/**
 * The remedies for slow clients as options: `serve` applies them, `check` takes them as what the
 * server under check is said to do and judges it by them. One set of names, ranges and checks.
 */
import { Option, type Command } from 'commander';
import { usageError } from '../core/errors';
import type { ModelName } from '../core/models';
import { DEFAULT_MIN_RATE_GRACE_MS } from '../servers/limits';
import type { Remedies } from '../support/remedies';
import { ipv4Address, numberOption } from './args';

/** The longest a limit on a connection may be: a day. */
const LONGEST_MS = 86_400_000;

export interface RemedyFlags {
  idleTimeout?: number;
  maxLifetime?: number;
  minRate?: number;
  minRateGrace: number;
  priorityFrom?: string;
}

/**
 * Adds the options to `command`. `subject` says whose limits they are: serve's "close a
 * connection …", check's "the server closes a connection …".
 */
export function addRemedyOptions(command: Command, subject: { closes: string; takes: string }): Command {
  return command
    .addOption(
      numberOption('idle-timeout', `${subject.closes} once nothing has been received from it for this long (from when it is served, then from its last bytes)`, { min: 1, max: LONGEST_MS }, undefined, 'ms'),
    )
    .addOption(numberOption('max-lifetime', `${subject.closes} this long after it began to be served, busy or not`, { min: 1, max: LONGEST_MS }, undefined, 'ms'))
    .addOption(
      numberOption(
        'min-rate',
        `a rate floor, as Apache mod_reqtimeout's MinRate: ${subject.closes} once its deadline passes, which is --min-rate-grace after it ` +
          'began to be served, and every byte received moves it 1/rate s later (the window is the whole connection so far, ' +
          'checked continuously)',
        { min: 1, max: 1_000_000_000 },
        undefined,
        'bytes-per-s',
      ),
    )
    .addOption(numberOption('min-rate-grace', 'with --min-rate: how long a connection is served before its rate counts', { min: 1, max: LONGEST_MS }, DEFAULT_MIN_RATE_GRACE_MS, 'ms'))
    .addOption(
      new Option('--priority-from <addr>', `for thread-pool: ${subject.takes} connections from this IPv4 address before any other waiting one; first in, first out within each`).argParser(
        ipv4Address('priority-from'),
      ),
    );
}

/** The remedies the options give, for `model`; one given where it cannot apply is a usage error. */
export function remediesFrom(flags: RemedyFlags, given: (option: string) => boolean, model: ModelName | 'all'): Remedies {
  if (given('minRateGrace') && flags.minRate === undefined) throw usageError('--min-rate-grace applies only with --min-rate');
  if (flags.priorityFrom !== undefined && model !== 'thread-pool') throw usageError('--priority-from applies only to thread-pool');
  const remedies: Remedies = {
    idleTimeoutMs: flags.idleTimeout,
    maxLifetimeMs: flags.maxLifetime,
    minRate: flags.minRate,
    minRateGraceMs: flags.minRate === undefined ? undefined : flags.minRateGrace,
    priorityFrom: flags.priorityFrom,
  };
  return Object.fromEntries(Object.entries(remedies).filter(([, value]) => value !== undefined));
}
