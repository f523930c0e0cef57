/**
 * What each of echolab's report formatters is: a cucumber formatter that, once the run has
 * finished, gathers its chapters and writes one page drawn from them.
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { collectChapters } from './collect';
import type { ChapterReport } from './scenarios';

export function reportFormatter(documentation: string, render: (chapters: ChapterReport[]) => string) {
  return class extends Formatter {
    static readonly documentation = documentation;

    constructor(options: IFormatterOptions) {
      super(options);
      options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
        if (envelope.testRunFinished) this.log(render(collectChapters(options.eventDataCollector, options)));
      });
    }
  };
}
