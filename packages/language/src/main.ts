// `pnpm --filter @roadmap/language lesson <name>`: runs one lesson, which prints what it
// demonstrates. Every figure is measured on this machine while the lesson runs.
import { lessons, type LessonName } from './lessons';

async function main(argv: string[]): Promise<void> {
  const name = argv[0];
  if (!name || !(name in lessons)) {
    console.log(`usage: pnpm --filter @roadmap/language lesson <name>\n`);
    for (const [key, lesson] of Object.entries(lessons))
      console.log(`  ${key.padEnd(11)} ${lesson.title}`);
    process.exitCode = name ? 2 : 0;
    return;
  }
  const lesson = lessons[name as LessonName];
  console.log(`# ${lesson.title}\n`);
  await lesson.run();
}

void main(process.argv.slice(2));
