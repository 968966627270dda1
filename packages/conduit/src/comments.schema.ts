import { z } from 'zod';
import { LIMITS, text } from './limits';

export const newCommentSchema = z.object({
  body: text().trim().min(1).max(LIMITS.comment),
});
export type NewComment = z.infer<typeof newCommentSchema>;

/** Comment ids are integers in the spec; `/comments/abc` is a 422, not a database error. */
export const commentIdSchema = text()
  .regex(/^\d{1,15}$/, { error: 'must be a positive whole number' })
  .transform(Number);
