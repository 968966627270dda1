import type { MutationResolvers } from '../generated/resolvers-types';
import { parse } from './inputs';

/** Validation here (conduit's zod schemas), authorization in the services (auth's policy). */
export const Mutation: MutationResolvers = {
  register: (_root, { input }, { conduit }) => conduit.users.register(parse.register(input)),

  login: (_root, { input }, { conduit, ip }) => conduit.users.login(parse.login(input), ip),

  updateUser: (_root, { input }, { conduit, actor }) =>
    conduit.users.update(actor, parse.updateUser(input)),

  follow: (_root, { username }, { conduit, actor }) => conduit.profiles.follow(actor, username),

  unfollow: (_root, { username }, { conduit, actor }) => conduit.profiles.unfollow(actor, username),

  createArticle: (_root, { input }, { conduit, actor }) =>
    conduit.articles.create(actor, parse.newArticle(input)),

  updateArticle: (_root, { slug, input }, { conduit, actor }) =>
    conduit.articles.update(actor, slug, parse.updateArticle(input)),

  deleteArticle: async (_root, { slug }, { conduit, actor }) => {
    await conduit.articles.remove(actor, slug);
    return slug;
  },

  favorite: (_root, { slug }, { conduit, actor }) => conduit.articles.favorite(actor, slug),

  unfavorite: (_root, { slug }, { conduit, actor }) => conduit.articles.unfavorite(actor, slug),

  addComment: async (_root, { slug, body }, { conduit, actor, publishComment }) => {
    const comment = await conduit.comments.add(actor, slug, parse.comment(body));
    await publishComment(slug, comment);
    return comment;
  },

  deleteComment: async (_root, { slug, id }, { conduit, actor }) => {
    await conduit.comments.remove(actor, slug, id);
    return id;
  },
};
