/** The lesson's picture alone, as an SVG file (`npm run docs`: the README's picture), as a cucumber formatter. */
import { reportFormatter } from './formatter';
import { lessonRows, renderLessonSvg } from './lesson';

export default reportFormatter("the lesson's scenarios on every model, on one time axis, as an SVG picture", (chapters) =>
  renderLessonSvg(lessonRows(chapters)));
