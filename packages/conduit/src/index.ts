// @roadmap/conduit: the Conduit use cases as plain services. No HTTP framework in here: the
// REST routes (packages/rest-api) and the GraphQL resolvers call these same functions.
import { createArticlesService } from './articles.service';
import { createBatchesService } from './batches.service';
import { createCommentsService } from './comments.service';
import type { ConduitDeps } from './deps';
import { createProfilesService } from './profiles.service';
import { createTagsService } from './tags.service';
import { createUsersService } from './users.service';

export function createConduit(deps: ConduitDeps) {
  const articles = createArticlesService(deps);
  return {
    users: createUsersService(deps),
    profiles: createProfilesService(deps),
    articles,
    comments: createCommentsService({ ...deps, articles }),
    tags: createTagsService(deps),
    batches: createBatchesService(deps),
  };
}
export type Conduit = ReturnType<typeof createConduit>;

export type { ConduitAuth, ConduitDeps } from './deps';
export { redisCache, noCache, cacheKeys, type Cache, type RedisLike } from './cache';
// The validator is kit's (one for every entry point); re-exported for conduit's callers.
export { parseOrThrow, issuesToDetails } from '@roadmap/kit';
export { LIMITS, text } from './limits';
export * from './users.schema';
export * from './articles.schema';
export * from './comments.schema';
export * from './views';
export type { CachedArticle } from './articles.service';
export type {
  ArticleFilter,
  ArticleRow,
  ArticleState,
  BatchesService,
  RowPage,
} from './batches.service';
// Sent as is by the HTTP layer (kit's defineRoute); built by the services' *Json() reads.
export { JsonResponse, jsonResponse, weakEtag } from '@roadmap/kit';
