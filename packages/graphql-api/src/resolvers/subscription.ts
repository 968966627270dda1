import type { Comment } from '@roadmap/conduit';
import type { Logger } from '@roadmap/kit';
import type { GraphQLContext } from '../context';
import type {
  SubscriptionCommentAddedArgs,
  SubscriptionResolvers,
} from '../generated/resolvers-types';
import type { PubSub } from '../pubsub';

export const commentTopic = (slug: string) => `comment-added:${slug}`;

/** What `addComment` publishes: the comment as its author saw it. */
interface CommentAdded {
  comment: Comment;
}

export function createSubscription(pubsub: PubSub): SubscriptionResolvers {
  return {
    commentAdded: {
      // Why check the slug first: a typo should fail now, not wait forever for comments.
      subscribe: async (_root, { slug }, { conduit }) => {
        await conduit.articles.idOf(slug);
        return pubsub.subscribe(commentTopic(slug));
      },
      // `following` was the commenter's view; each subscriber gets their own.
      resolve: async (
        payload: unknown,
        _args: SubscriptionCommentAddedArgs,
        { conduit, actor }: GraphQLContext,
      ) => {
        const { comment } = payload as CommentAdded;
        if (!actor) return { ...comment, author: { ...comment.author, following: false } };
        return { ...comment, author: await conduit.profiles.get(actor, comment.author.username) };
      },
    },
  };
}

/**
 * Best effort: the comment is saved whatever happens here. Why not fail the mutation when
 * Redis is down: the client would retry and post the comment twice. (The outbox of the events
 * stage is the way to make the announcement as durable as the row.)
 */
export function createPublishComment(pubsub: PubSub, log: Logger) {
  return async (slug: string, comment: Comment): Promise<void> => {
    try {
      await pubsub.publish(commentTopic(slug), { comment } satisfies CommentAdded);
    } catch (err) {
      log.warn({ err, slug }, 'commentAdded not published');
    }
  };
}
