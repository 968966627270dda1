import { z } from 'zod';
import { type Result } from './generics';

/**
 * One schema, two uses: it validates input at run time, and `z.infer` derives the TypeScript
 * type from it. Change the schema and the type follows; they cannot drift apart.
 */
export const ArticleInput = z.object({
  title: z.string().trim().min(1, 'must not be blank').max(120),
  body: z.string().min(1, 'must not be blank'),
  tagList: z.array(z.string().trim().min(1)).max(10).default([]),
});
export type ArticleInput = z.infer<typeof ArticleInput>;

/** Untrusted input in, a typed value or readable errors out. */
export function parseArticleInput(input: unknown): Result<ArticleInput, string[]> {
  const parsed = ArticleInput.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    ),
  };
}
