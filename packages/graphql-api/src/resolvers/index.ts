import type { Resolvers } from '../generated/resolvers-types';
import type { PubSub } from '../pubsub';
import { Mutation } from './mutation';
import { Query } from './query';
import { createSubscription } from './subscription';
import { Article, ArticleConnection } from './types';

/** Every resolver, typed from schema.graphql by the generated `Resolvers` type. */
export function createResolvers(pubsub: PubSub): Resolvers {
  return { Query, Mutation, Subscription: createSubscription(pubsub), Article, ArticleConnection };
}
