import mongoose, { Types } from 'mongoose';
import { countCommands, type MongoDb } from '../../mongo/connection';
import { ARTICLE_SCHEMA_VERSION } from '../../mongo/schemas';

/**
 * Embedding vs referencing, measured. The same article with `comments` comments is stored two
 * ways:
 * - embedded: one document in `lesson_embedded_articles` holding the author's profile and
 *   every comment (each with its author's profile copied in);
 * - referenced: the Conduit way — the article, its comments in `comments`, users in `users`.
 * Then: how many commands render the article page, how large the documents are, and how many
 * documents one profile rename has to touch.
 */
export interface EmbeddingReport {
  comments: number;
  embedded: { commandsToRead: number; documentBytes: number; documentsTouchedByRename: number };
  referenced: {
    commandsToRead: number;
    articleBytes: number;
    largestCommentBytes: number;
    documentsTouchedByRename: number;
  };
  /** How many comments of this size one embedded document could hold before the 16 MB limit. */
  embeddedCommentCeiling: number;
}

const bsonSize = (doc: object) => mongoose.mongo.BSON.calculateObjectSize(doc);

export async function compareEmbedding(db: MongoDb, comments = 200): Promise<EmbeddingReport> {
  const embeddedCollection = db.conn.collection('lesson_embedded_articles');
  await embeddedCollection.deleteMany({});
  const suffix = new Types.ObjectId().toHexString().slice(-6);
  const [author, ...commenters] = await db.User.insertMany(
    Array.from({ length: 11 }, (_, i) => ({
      email: `embed-${suffix}-${i}@example.com`,
      username: `embed-${suffix}-${i}`,
      bio: 'Writes about documents.',
    })),
  );
  const now = new Date();
  const article = await db.Article.create({
    slug: `embedding-${suffix}`,
    title: 'Embedding or referencing?',
    description: 'The question every document model asks',
    body: 'A body of moderate length. '.repeat(40),
    tagList: ['mongodb', 'design'],
    author: author!._id,
    schemaVersion: ARTICLE_SCHEMA_VERSION,
  });
  const commentDocs = Array.from({ length: comments }, (_, i) => ({
    article: article._id,
    author: commenters[i % commenters.length]!._id,
    body: `Comment number ${i}: I agree with most of this, except the part about arrays.`,
  }));
  await db.Comment.insertMany(commentDocs);

  const profile = (u: { username: string; bio: string | null; image: string | null }) => ({
    username: u.username,
    bio: u.bio,
    image: u.image,
  });
  const embeddedDoc = {
    ...article.toObject(),
    author: profile(author!),
    comments: commentDocs.map((c, i) => ({
      _id: new Types.ObjectId(),
      body: c.body,
      createdAt: now,
      author: profile(commenters[i % commenters.length]!),
    })),
  };
  await embeddedCollection.insertOne(embeddedDoc);

  // Reading the article page: embedded = one findOne.
  let counter = countCommands(db);
  await embeddedCollection.findOne({ _id: article._id });
  const embeddedReads = counter.count();
  counter.stop();

  // Referenced = the article, its comments, then their authors (one $in for all of them).
  counter = countCommands(db);
  const stored = await db.Article.findById(article._id).lean();
  // batchSize: the default first batch is 101 documents, and a getMore is one more round trip.
  const storedComments = await db.Comment.find({ article: article._id }).batchSize(10_000).lean();
  const authorIds = [...new Set(storedComments.map((c) => c.author.toHexString()))];
  await db.User.find({
    _id: mongoose.trusted({ $in: [stored!.author.toHexString(), ...authorIds] }),
  }).lean();
  const referencedReads = counter.count();
  counter.stop();

  // One commenter renames: every copy of their profile must change.
  const renamed = commenters[0]!;
  const rename = await embeddedCollection.updateMany(
    { 'comments.author.username': renamed.username },
    { $set: { 'comments.$[c].author.username': `${renamed.username}-renamed` } },
    { arrayFilters: [{ 'c.author.username': renamed.username }] },
  );

  const largestComment = Math.max(...storedComments.map((c) => bsonSize(c)));
  const perEmbeddedComment =
    (bsonSize(embeddedDoc) - bsonSize({ ...embeddedDoc, comments: [] })) / comments;
  const report: EmbeddingReport = {
    comments,
    embedded: {
      commandsToRead: embeddedReads,
      documentBytes: bsonSize(embeddedDoc),
      // Only one article here; on a real site it is every article they ever commented on.
      documentsTouchedByRename: rename.modifiedCount,
    },
    referenced: {
      commandsToRead: referencedReads,
      articleBytes: bsonSize(stored!),
      largestCommentBytes: largestComment,
      documentsTouchedByRename: 1,
    },
    embeddedCommentCeiling: Math.floor((16 * 1024 * 1024) / perEmbeddedComment),
  };

  await embeddedCollection.deleteMany({});
  await db.Comment.deleteMany({ article: article._id });
  await db.Article.deleteOne({ _id: article._id });
  await db.User.deleteMany({
    _id: mongoose.trusted({ $in: [author!._id, ...commenters.map((c) => c._id)] }),
  });
  return report;
}
