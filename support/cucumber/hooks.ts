/**
 * Every scenario ends the same way, passed, failed or timed out: its timeline attached, what it
 * shows that no verdict is about logged as a warning (clients that connected late), its server
 * and any echolab command it ran stopped.
 */
import { After, AfterAll, Before, parallelCanAssignHelpers, setParallelCanAssign } from '@cucumber/cucumber';
import { stopAllProcesses } from '../processes';
import { TIMELINE_MEDIA_TYPE } from '../report/scenarios';
import { renderSvg } from '../timeline/render-svg';
import { renderText } from '../timeline/render-text';
import { lateConnectWarning } from '../verdicts';
import type { EcholabWorld } from './world';

// echolab's thread-per-client server starts its threads ahead for a crowd (SPARE_THREADS_FOR_A_CROWD says why)
Before({ tags: '@many-clients' }, function (this: EcholabWorld) {
  this.crowd = true;
});

After(async function (this: EcholabWorld) {
  try {
    const timeline = this.session.timeline();
    if (timeline.events.length > 0) {
      // the pictures are for cucumber's own HTML report, which `echolab check` does not write:
      // it draws what it prints from the timeline itself
      if (!this.parameters.target) {
        this.attach(renderText(timeline), 'text/plain');
        // the HTML report shows an SVG only when it is attached as bytes
        this.attach(Buffer.from(renderSvg(timeline)), 'image/svg+xml');
      }
      // the timeline itself, for echolab's own reports and check's printout to draw as they need
      this.attach(JSON.stringify(timeline), TIMELINE_MEDIA_TYPE);
    }
    const lateConnects = lateConnectWarning(timeline);
    if (lateConnects) this.log(lateConnects);
  } finally {
    await Promise.all([this.session.close(), stopAllProcesses()]);
  }
});

AfterAll(stopAllProcesses);

// Thirty threads starting at once take a good share of the machine: two such scenarios side by
// side could slow each other past their bounds, so they take turns.
setParallelCanAssign(parallelCanAssignHelpers.atMostOnePicklePerTag(['@many-clients']));

// A parallel worker whose coordinator was killed has nobody to report to: it ends, and its
// servers go with it, rather than playing its scenarios on to no one.
if (process.send) process.once('disconnect', () => process.exit(1));
