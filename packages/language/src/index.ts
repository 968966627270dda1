export { lessons, type LessonName } from './lessons';
