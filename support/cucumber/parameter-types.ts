/** The words scenarios use for models, client names and messages. */
import { defineParameterType } from '@cucumber/cucumber';
import { MODEL_NAMES, type ModelName } from '../../core/models';
import { BOUND_PATTERN, parseBound } from '../bounds';
import { parseRemedy, REMEDY_PATTERN } from '../remedies';
import type { ServerWords } from './world';

defineParameterType({
  name: 'model',
  regexp: new RegExp(MODEL_NAMES.join('|')),
  transformer: (name: string) => name as ModelName,
});

/** "A", "A and B", "A, B and C", "A or B" */
defineParameterType({
  name: 'names',
  regexp: /[A-Z](?:, [A-Z])*(?: (?:and|or) [A-Z])?/,
  transformer: (list: string) => list.split(/, | and | or /),
});

/** "Hello" or "Hello" then "World!" */
defineParameterType({
  name: 'messages',
  regexp: /"[^"]*"(?: then "[^"]*")*/,
  transformer: (list: string) => [...list.matchAll(/"([^"]*)"/g)].map((match) => match[1]),
});

/** A cell of the table of which server passes which model's specs */
defineParameterType({
  name: 'cell',
  regexp: /passes|fails/,
});

/** A bound of a measured figure: "between 0.9 and 1.1", "less than 1 MiB" (support/bounds.ts) */
defineParameterType({
  name: 'bound',
  regexp: BOUND_PATTERN,
  transformer: parseBound,
});

/** What a scenario does about slow clients: "closes connections idle for 2 ticks" (support/remedies.ts) */
defineParameterType({
  name: 'remedy',
  regexp: REMEDY_PATTERN,
  transformer: parseRemedy,
});

/** "a sequential server", "a thread-pool server with 2 threads", or just "a server": any model will do */
defineParameterType({
  name: 'server',
  regexp: new RegExp(`an? (?:${MODEL_NAMES.join('|')}) server(?: with \\d+ threads?)?|a server`),
  transformer: (words: string): ServerWords => {
    const model = MODEL_NAMES.find((name) => words.includes(` ${name} `));
    const workers = words.match(/with (\d+) thread/)?.[1];
    return { model, ...(workers === undefined ? {} : { workers: Number(workers) }) };
  },
});
