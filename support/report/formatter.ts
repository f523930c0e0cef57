/**
 * What each of echolab's report formatters is: a cucumber formatter that reads the run's
 * messages as they come and, once the run has finished, writes one page drawn from its chapters.
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { RunResults } from './results';
import type { ChapterReport } from './scenarios';

export function reportFormatter(documentation: string, render: (chapters: ChapterReport[]) => string) {
  return class extends Formatter {
    static readonly documentation = documentation;

    constructor(options: IFormatterOptions) {
      super(options);
      const results = new RunResults();
      options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
        results.update(envelope);
        if (envelope.testRunFinished) this.log(render(results.chapters()));
      });
    }
  };
}
