/** The words scenarios use for models, client names and messages. */
import { defineParameterType } from '@cucumber/cucumber';
import { MODEL_NAMES, type ModelName } from '../../core/models';
import { BOUND_PATTERN, parseBound } from '../bounds';

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
