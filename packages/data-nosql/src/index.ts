// @roadmap/data-nosql: the Conduit domain as MongoDB documents (mongoose) and Redis beyond
// caching. Repositories are plain functions taking the models first and returning plain objects.
export {
  DEFAULT_MONGO_URL,
  DEFAULT_REDIS_URL,
  dataNosqlEnvShape,
  loadDataNosqlConfig,
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
