import { AppError } from '@roadmap/kit';
import { type Types } from 'mongoose';
import { type MongoDb } from '../mongo/connection';
import { mapErrors } from '../mongo/errors';
import { parseObjectId } from '../mongo/ids';
import { type CommentDoc } from '../mongo/schemas';
import { profilesByIds, type Profile } from '../profiles/profiles.repository';

export interface Comment {
  id: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  articleId: string;
  authorId: string;
  author: Profile;
}

async function toComments(
  db: MongoDb,
  docs: CommentDoc[],
  viewerId: Types.ObjectId | null,
): Promise<Comment[]> {
  const authors = await profilesByIds(db, [...new Set(docs.map((d) => d.author))], viewerId);
  return docs.map((doc) => ({
    id: doc._id.toHexString(),
    body: doc.body,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    articleId: doc.article.toHexString(),
    authorId: doc.author.toHexString(),
    author: authors.get(doc.author.toHexString()) ?? {
      id: doc.author.toHexString(),
      username: '[deleted]',
      bio: null,
      image: null,
      following: false,
    },
  }));
}

/**
 * Comments live in their own collection (see the reasoning in mongo/schemas.ts). Without
 * foreign keys, the existence of the article and the author is checked here: 404 naming it.
 */
export async function addComment(
  db: MongoDb,
  input: { articleId: string; authorId: string; body: string },
): Promise<Comment> {
  const article = parseObjectId(input.articleId);
  if (!article) throw AppError.notFound('article');
  const author = parseObjectId(input.authorId);
  if (!author) throw AppError.notFound('user');
  return mapErrors(async () => {
    const [articleExists, authorExists] = await Promise.all([
      db.Article.exists({ _id: article }),
      db.User.exists({ _id: author }),
    ]);
    if (!articleExists) throw AppError.notFound('article');
    if (!authorExists) throw AppError.notFound('user');
    const created = await db.Comment.create({ article, author, body: input.body });
    const [comment] = await toComments(db, [created.toObject()], author);
    return comment!;
  });
}

/** Oldest first, read through the (article, createdAt) index. */
export async function listComments(
  db: MongoDb,
  articleId: string,
  viewerId: string | null,
): Promise<Comment[]> {
  const article = parseObjectId(articleId);
  if (!article) return [];
  return mapErrors(async () => {
    const docs = await db.Comment.find({ article })
      .sort({ createdAt: 1, _id: 1 })
      .lean<CommentDoc[]>();
    return toComments(db, docs, viewerId ? parseObjectId(viewerId) : null);
  });
}

export async function findCommentById(
  db: MongoDb,
  id: string,
  viewerId: string | null = null,
): Promise<Comment | null> {
  const _id = parseObjectId(id);
  if (!_id) return null;
  return mapErrors(async () => {
    const doc = await db.Comment.findById(_id).lean<CommentDoc>();
    if (!doc) return null;
    const [comment] = await toComments(db, [doc], viewerId ? parseObjectId(viewerId) : null);
    return comment!;
  });
}

export async function deleteComment(db: MongoDb, id: string): Promise<boolean> {
  const _id = parseObjectId(id);
  if (!_id) return false;
  return mapErrors(async () => (await db.Comment.deleteOne({ _id })).deletedCount === 1);
}
