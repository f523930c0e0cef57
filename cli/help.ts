/** Help text that several commands show. */
import { Help } from 'commander';
import { MODEL_NAMES, MODELS } from '../core/models';

/** Commander's layout at its default width. */
const help = new Help();
help.helpWidth = 80;

/** A paragraph of help, wrapped. */
export const paragraph = (text: string) => help.boxWrap(text, help.helpWidth!);

/** The models, each with what it is, laid out as commander lays out options. */
export function modelList(): string {
  const width = Math.max(...MODEL_NAMES.map((name) => name.length));
  return ['Models:', ...Object.entries(MODELS).map(([name, description]) => help.formatItem(name, width, description, help))].join('\n');
}
