import type { Actor } from '@roadmap/auth';
import type { ArticleState, Conduit, Profile } from '@roadmap/conduit';
import { AppError } from '@roadmap/kit';
import DataLoader from 'dataloader';

/**
 * The request's DataLoaders. Every field resolver that needs something per article asks a
 * loader instead of the database; the loader collects the keys asked for in one tick of the
 * event loop and calls the batch function once, so 20 or 50 articles cost one query per
 * loader, not one per article (the N+1 problem).
 *
 * - `authors`: user id → profile with the viewer's `following` (authors and following);
 * - `articleStates`: article id → tags, favorites count and the viewer's `favorited`.
 * Two loaders rather than four: each pair comes from the same rows, so one query serves both.
 */
export interface Loaders {
  authors: DataLoader<number, Profile>;
  articleStates: DataLoader<number, ArticleState>;
}

function present<T>(what: string) {
  return (values: (T | null)[]): (T | Error)[] =>
    values.map((value) => value ?? AppError.notFound(what));
}

export function createLoaders(
  conduit: Conduit,
  actor: Actor,
  options: { naive: boolean },
): Loaders {
  // The naive variant: one call per key and no memo — what resolvers do without DataLoader.
  const settings = options.naive ? { batch: false, cache: false } : {};
  return {
    authors: new DataLoader(
      (ids) => conduit.batches.profilesByIds(actor, ids).then(present<Profile>('profile')),
      settings,
    ),
    articleStates: new DataLoader(
      (ids) =>
        conduit.batches.articleStatesByIds(actor, ids).then(present<ArticleState>('article')),
      settings,
    ),
  };
}
