/** The page to start from, reports/lesson.html (see lesson.ts), as a cucumber formatter. */
import { reportFormatter } from './formatter';
import { lessonRows, renderLessonPage } from './lesson';
import { COURSE_PAGE } from './pages';

export default reportFormatter("echolab's page to start from: the lesson's scenarios on every model, on one time axis", (chapters) =>
  renderLessonPage(lessonRows(chapters), { courseHref: COURSE_PAGE }));
