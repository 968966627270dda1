import { availableParallelism } from 'node:os';
import { z } from 'zod';

// The few knobs the lessons have. Every one is optional; a bad value stops the lesson with one
// line naming the variable.
const schema = z.object({
  LESSON_FILE_MB: z.coerce.number().int().min(1).max(4096).default(200),
  LESSON_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(2, availableParallelism())),
});

export interface LessonConfig {
  /** Size of the NDJSON file lesson 3 generates. */
  fileMb: number;
  /** Worker threads in lesson 4's pool. */
  workers: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): LessonConfig {
  const parsed = schema.safeParse({
    LESSON_FILE_MB: env.LESSON_FILE_MB || undefined,
    LESSON_WORKERS: env.LESSON_WORKERS || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new Error(`${name} ${issue.message.toLowerCase()} (got "${env[name]}").`);
  }
  return { fileMb: parsed.data.LESSON_FILE_MB, workers: parsed.data.LESSON_WORKERS };
}
