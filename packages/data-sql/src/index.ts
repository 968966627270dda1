// @roadmap/data-sql: the PostgreSQL data layer of Conduit. Repositories are plain functions
// taking a Db (the pool, or a client inside withTransaction) first and returning plain objects.
export { createPool, query, isPool, type Db, type PoolOptions } from './db/pool';
export {
  withTransaction,
  inTransaction,
  type IsolationLevel,
  type TransactionOptions,
} from './db/transaction';
export { mapPgError } from './db/errors';
export { countRoundTrips, type RecordedStatement } from './db/round-trips';
export { ensureDatabase, startupProbeUrl } from './db/ensure-database';
export { prepareDatabase } from './db/prepare-database';
export {
  resolveDatabase,
  startEmbeddedPostgres,
  portAnswers,
  type ResolvedDatabase,
  type ResolveOptions,
} from './db/resolve-database';
export {
  DEFAULT_CACHE_KEY_PREFIX,
  DEFAULT_DATABASE_URL,
  dataSqlEnvShape,
  loadDataSqlConfig,
} from './config';
export {
  migrate,
  MIGRATION_LOCK_ID,
  MIGRATIONS_DIR,
  type MigrateOptions,
  type AppliedMigration,
} from './db/migrate';

export {
  insertUser,
  findUserById,
  findUserByEmail,
  findUserByUsername,
  updateUser,
  listUsers,
  setUserRole,
  countUsersWithRole,
  findTokenGeneration,
  bumpTokenGeneration,
  ROLES,
  type Role,
  type User,
  type NewUser,
  type UserPatch,
  type ListUsersOptions,
} from './users/users.repository';
export {
  findProfile,
  followUser,
  unfollowUser,
  type Profile,
} from './profiles/profiles.repository';
export {
  createArticle,
  findArticleBySlug,
  listArticles,
  listArticlesJson,
  feedArticles,
  updateArticle,
  deleteArticle,
  favoriteArticle,
  unfavoriteArticle,
  findViewerFlags,
  listSlugsByAuthor,
  type Article,
  type ArticleSummary,
  type ArticlePage,
  type NewArticle,
  type ArticlePatch,
  type ListArticlesFilter,
  type PageOptions,
  ARTICLES_COUNT_CAP,
} from './articles/articles.repository';
export {
  listArticleRows,
  feedArticleRows,
  countArticles,
  countFeed,
  profilesByIds,
  articleStatesByIds,
  type ArticleRow,
  type ArticleState,
  type RowPage,
} from './articles/article-batches.repository';
export { slugify } from './articles/slug';
export {
  addComment,
  listComments,
  findCommentById,
  deleteComment,
  type Comment,
} from './comments/comments.repository';
export { listTags } from './tags/tags.repository';
export {
  insertOutboxEvent,
  claimOutboxBatch,
  markOutboxPublished,
  outboxBacklog,
  OUTBOX_CHANNEL,
  type OutboxEvent,
  type NewOutboxEvent,
} from './outbox/outbox.repository';
export {
  linkOAuthIdentity,
  findUserByOAuthIdentity,
  createRefreshTokenFamily,
  insertRefreshToken,
  findRefreshTokenByHash,
  findRefreshTokenForUpdate,
  markRefreshTokenUsed,
  revokeRefreshTokenFamily,
  revokeUserRefreshTokenFamilies,
  type OAuthIdentity,
  type RefreshToken,
} from './identities/identities.repository';
export { pendingMigrations, migrationNames, assertMigrated } from './db/pending-migrations';
export { countContent, seedDemoIfEmpty } from './seed/demo';
