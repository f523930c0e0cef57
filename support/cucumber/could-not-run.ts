/** A scenario whose server could not be run says so in the report (see support/check/could-not-run.ts). */
import { AfterStep } from '@cucumber/cucumber';
import { COULD_NOT_RUN_MEDIA_TYPE, couldNotRunAttachment } from '../check/could-not-run';
import type { EcholabWorld } from './world';

// AfterStep, not After: an After hook is only told the error of the scenario's last step
AfterStep(function (this: EcholabWorld, { error }) {
  const body = couldNotRunAttachment(error);
  if (body) this.attach(body, COULD_NOT_RUN_MEDIA_TYPE);
});
