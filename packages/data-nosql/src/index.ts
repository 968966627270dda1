// @roadmap/data-nosql: the Conduit domain as MongoDB documents (mongoose) and Redis beyond
// caching. Repositories are plain functions taking the models first and returning plain objects.
export {
  DEFAULT_MONGO_URL,
  DEFAULT_REDIS_URL,
  dataNosqlEnvShape,
  loadDataNosqlConfig,
  mongoLimits,
  type DataNosqlConfig,
} from './config';
export {
  SlidingWindowLimiter,
  naiveHit,
  type RateLimitResult,
  type SlidingWindowOptions,
} from './redis/rate-limiter';
export { RedisLock, FencedStore, type Lease } from './redis/lock';
export { FavoritesLeaderboard, type LeaderboardEntry } from './redis/leaderboard';
export {
  appendEvent,
  ensureGroup,
  readGroup,
  ack,
  claimStale,
  pendingCount,
  type StreamEntry,
} from './redis/streams';
export { UniqueReaders, relativeError } from './redis/hyperloglog';
export { storeProfile, memoryUsage, encodingOf, type Layout } from './redis/memory';

// MongoDB
export {
  connectMongo,
  bindModels,
  ensureSchema,
  closeMongo,
  isReplicaSet,
  countCommands,
  DEFAULT_LIMITS,
  type MongoDb,
  type MongoLimits,
  type ConnectOptions,
} from './mongo/connection';
export { mapMongoError, mapErrors } from './mongo/errors';
export { parseObjectId } from './mongo/ids';
export { assertDocumentSize } from './mongo/document-size';
export { COLLECTION_VALIDATORS } from './mongo/validators';
export {
  ROLES,
  CASE_INSENSITIVE,
  ARTICLE_SCHEMA_VERSION,
  type Role,
  type UserDoc,
  type ArticleDoc,
  type CommentDoc,
  type FavoriteDoc,
  type FollowDoc,
} from './mongo/schemas';
export {
  insertUser,
  findUserById,
  findUserByEmail,
  findUserByUsername,
  updateUser,
  verifyUser,
  type User,
  type NewUser,
  type UserPatch,
} from './users/users.repository';
export {
  findProfile,
  followUser,
  unfollowUser,
  upsertIgnoringRace,
  type Profile,
} from './profiles/profiles.repository';
export {
  createArticle,
  findArticleBySlug,
  listArticles,
  feedArticles,
  updateArticle,
  deleteArticle,
  favoriteArticle,
  unfavoriteArticle,
  recountFavorites,
  ARTICLES_COUNT_CAP,
  type Article,
  type ArticleSummary,
  type ArticlePage,
  type NewArticle,
  type ArticlePatch,
  type ListArticlesFilter,
  type PageOptions,
} from './articles/articles.repository';
export { slugify, normalizeTags } from './articles/slug';
export {
  upgradeArticle,
  upgradeAndSave,
  migrateArticlesInBulk,
  type ArticleDocV1,
  type StoredArticle,
} from './articles/article-migration';
export {
  addComment,
  listComments,
  findCommentById,
  deleteComment,
  type Comment,
} from './comments/comments.repository';
export { listTags } from './tags/tags.repository';
export { seedMongo, type SeedOptions, type SeedResult } from './seed/seed';
