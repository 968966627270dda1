import type { Actor } from '@roadmap/auth';
import type { Comment, Conduit } from '@roadmap/conduit';
import { createLoaders, type Loaders } from './loaders';

/** What every resolver receives as its third argument; built once per request. */
export interface GraphQLContext {
  actor: Actor;
  conduit: Conduit;
  loaders: Loaders;
  /** The client address (login throttling keys on it). */
  ip: string;
  /** Announces a new comment to every instance's subscribers (Redis pub/sub). */
  publishComment: (slug: string, comment: Comment) => Promise<void>;
}

export interface ContextDeps {
  conduit: Conduit;
  publishComment: GraphQLContext['publishComment'];
  /** true → loaders neither batch nor cache: the naive resolver, for the N+1 lesson and bench. */
  naive?: boolean;
}

/**
 * Why a new loader set per request: a DataLoader caches what it loaded, and `following` or
 * `favorited` depend on who asks. Shared across requests, one user would see another's flags.
 */
export function buildContext(deps: ContextDeps, actor: Actor, ip: string): GraphQLContext {
  return {
    actor,
    conduit: deps.conduit,
    loaders: createLoaders(deps.conduit, actor, { naive: deps.naive ?? false }),
    ip,
    publishComment: deps.publishComment,
  };
}
