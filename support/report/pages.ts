/** The file names of echolab's two report pages, which link to each other from the same folder. */
export const COURSE_PAGE = 'echolab.html';
export const LESSON_PAGE = 'lesson.html';
