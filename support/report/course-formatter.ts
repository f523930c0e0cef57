/** reports/echolab.html (see course.ts), as a cucumber formatter. */
import { renderCourseReport } from './course';
import { reportFormatter } from './formatter';
import { LESSON_PAGE } from './pages';

export default reportFormatter("echolab's report: the chapters in order, every timeline in view", (chapters) =>
  renderCourseReport(chapters, { lessonHref: LESSON_PAGE }));
