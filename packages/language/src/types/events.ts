import { type ArticleId, type UserId } from './brand';

/**
 * A discriminated union: every variant has a literal `type`, and checking it narrows the value
 * to that variant — `event.by` exists only once `event.type === 'favorited'` is known.
 */
export type ArticleEvent =
  | { type: 'published'; articleId: ArticleId; title: string }
  | { type: 'favorited'; articleId: ArticleId; by: UserId }
  | { type: 'deleted'; articleId: ArticleId; reason?: string };

/** Called where no value can arrive; if one does, the types were lied to. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/**
 * Exhaustive: add a fourth variant to ArticleEvent and this stops compiling, at `assertNever`,
 * until the new case is handled (lint's switch-exhaustiveness-check says the same).
 */
export function describeEvent(event: ArticleEvent): string {
  switch (event.type) {
    case 'published':
      return `${event.articleId} published: "${event.title}"`;
    case 'favorited':
      return `${event.articleId} favorited by ${event.by}`;
    case 'deleted':
      return `${event.articleId} deleted${event.reason ? ` (${event.reason})` : ''}`;
    default:
      return assertNever(event);
  }
}
