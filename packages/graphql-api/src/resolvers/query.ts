import { pageArgs, toPage } from '../cursor';
import type { QueryResolvers } from '../generated/resolvers-types';
import { parse } from './inputs';

/** Each root field is one use case of conduit, the same call the REST route makes. */
export const Query: QueryResolvers = {
  me: (_root, _args, { conduit, actor }) => conduit.users.current(actor),

  profile: (_root, { username }, { conduit, actor }) => conduit.profiles.get(actor, username),

  article: (_root, { slug }, { conduit, actor }) => conduit.articles.get(actor, slug),

  /**
   * One query for the page (bare rows, one more than asked to know if a next page exists);
   * the article fields then load through the DataLoaders, and `totalCount` only if selected.
   */
  articles: async (_root, { filter, first, after }, { conduit, actor }) => {
    const page = pageArgs(first, after);
    const where = parse.filter(filter);
    const rows = await conduit.batches.articleRows(actor, where, {
      limit: page.limit + 1,
      offset: page.offset,
    });
    return { ...toPage(rows, page), count: () => conduit.batches.countArticles(actor, where) };
  },

  feed: async (_root, { first, after }, { conduit, actor }) => {
    const page = pageArgs(first, after);
    const rows = await conduit.batches.feedRows(actor, {
      limit: page.limit + 1,
      offset: page.offset,
    });
    return { ...toPage(rows, page), count: () => conduit.batches.countFeed(actor) };
  },

  tags: (_root, _args, { conduit }) => conduit.tags.list(),

  /** Comments come whole from the use case (an article has few); the page is cut here. */
  comments: async (_root, { slug, first, after }, { conduit, actor }) => {
    const page = pageArgs(first, after);
    const all = await conduit.comments.list(actor, slug);
    const rows = all.slice(page.offset, page.offset + page.limit + 1);
    return { ...toPage(rows, page), totalCount: all.length };
  },
};
