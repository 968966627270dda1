import mongoose, { type Connection, type Model } from 'mongoose';
import {
  articleSchema,
  commentSchema,
  favoriteSchema,
  followSchema,
  userSchema,
  type ArticleDoc,
  type CommentDoc,
  type FavoriteDoc,
  type FollowDoc,
  type SchemaLimits,
  type UserDoc,
} from './schemas';
import { COLLECTION_VALIDATORS } from './validators';

/** What every repository function takes first: one connection's models (data-sql's `Db`). */
export interface MongoDb {
  conn: Connection;
  User: Model<UserDoc>;
  Article: Model<ArticleDoc>;
  Comment: Model<CommentDoc>;
  Favorite: Model<FavoriteDoc>;
  Follow: Model<FollowDoc>;
  limits: MongoLimits;
}

export interface MongoLimits extends SchemaLimits {
  /** Largest BSON document written, in bytes (MAX_DOCUMENT_BYTES). */
  maxDocumentBytes: number;
  /** Seconds an unverified sign-up lives (UNVERIFIED_SIGNUP_TTL_SECONDS). */
  unverifiedSignupTtlSeconds: number;
}

export const DEFAULT_LIMITS: MongoLimits = {
  articleBodyMaxChars: 100_000,
  maxDocumentBytes: 1024 * 1024,
  unverifiedSignupTtlSeconds: 24 * 3600,
};

export interface ConnectOptions {
  /** Overrides the database named in the URL (each test file uses its own). */
  dbName?: string;
  serverSelectionTimeoutMS?: number;
  /** Longest wait for one reply on an open connection (MONGO_SOCKET_TIMEOUT_MS). */
  socketTimeoutMS?: number;
  limits?: Partial<MongoLimits>;
  /** Emit the driver's command events (countCommands needs them). */
  monitorCommands?: boolean;
}

/**
 * One connection with the Conduit models registered on it. Why createConnection and not the
 * global `mongoose.connect`: tests and lessons open several databases in one process, and a
 * module-level singleton makes every import share (and close) one of them.
 */
export async function connectMongo(url: string, options: ConnectOptions = {}): Promise<MongoDb> {
  const conn = mongoose.createConnection(url, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000,
    // A network gone silent (no reset, no reply) would otherwise hold a request forever: the
    // driver's defaults are 30 s to open a connection and no limit on waiting for a reply.
    connectTimeoutMS: options.serverSelectionTimeoutMS ?? 2_000,
    socketTimeoutMS: options.socketTimeoutMS ?? 10_000,
    monitorCommands: options.monitorCommands ?? false,
    // Operator injection: a nested object whose key starts with "$" in a filter value
    // ({ email: { $gt: "" } } from a JSON body) is wrapped in $eq and so matches literally,
    // and a top-level "$where" is refused. The price: every operator our own code writes in a
    // filter must be marked `trusted({ $in: ids })`, or it too is matched literally.
    sanitizeFilter: true,
    // Why off: indexes are created once by ensureSchema (at deploy/start-up, awaited), not
    // in the background by whichever model happens to be compiled first.
    autoIndex: false,
    autoCreate: false,
    // A lost server is an error within serverSelectionTimeoutMS, not a request queued forever.
    bufferCommands: false,
  });
  try {
    await conn.asPromise();
  } catch (error) {
    // Stop the driver's retries, or the failed connection keeps the process alive.
    await conn.close().catch(() => undefined);
    throw error;
  }
  return bindModels(conn, options.limits);
}

/** Registers the models on a connection (opened or not: validation and casting work offline). */
export function bindModels(conn: Connection, limits: Partial<MongoLimits> = {}): MongoDb {
  const all = { ...DEFAULT_LIMITS, ...limits };
  return {
    conn,
    User: conn.model<UserDoc>('User', userSchema(), 'users'),
    Article: conn.model<ArticleDoc>('Article', articleSchema(all), 'articles'),
    Comment: conn.model<CommentDoc>('Comment', commentSchema(), 'comments'),
    Favorite: conn.model<FavoriteDoc>('Favorite', favoriteSchema(), 'favorites'),
    Follow: conn.model<FollowDoc>('Follow', followSchema(), 'follows'),
    limits: all,
  };
}

/**
 * Creates each collection with its $jsonSchema validator (or updates the validator with
 * `collMod` when it exists), then makes the indexes match the schemas (`syncIndexes` also
 * drops indexes no longer declared). Idempotent: safe on every start.
 */
export async function ensureSchema(db: MongoDb): Promise<void> {
  const database = db.conn.db;
  if (!database) throw new Error('ensureSchema needs an open connection');
  const existing = new Set(
    (await database.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
  );
  for (const [name, schema] of Object.entries(COLLECTION_VALIDATORS)) {
    const validation = {
      validator: { $jsonSchema: schema },
      validationLevel: 'strict',
      validationAction: 'error',
    } as const;
    if (existing.has(name)) await database.command({ collMod: name, ...validation });
    else await database.createCollection(name, validation);
  }
  for (const model of [db.User, db.Article, db.Comment, db.Favorite, db.Follow]) {
    await model.syncIndexes();
  }
}

export async function closeMongo(db: MongoDb): Promise<void> {
  await db.conn.close();
}

/** true when the server is a replica-set member (transactions and change streams need one). */
export async function isReplicaSet(db: MongoDb): Promise<boolean> {
  const hello = (await db.conn.db!.admin().command({ hello: 1 })) as { setName?: string };
  return typeof hello.setName === 'string';
}

const HOUSEKEEPING = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

/**
 * Counts the commands (round trips) sent while it listens — the document-database version of
 * data-sql's countRoundTrips. Needs a connection opened with `monitorCommands: true`.
 */
export function countCommands(db: MongoDb): {
  count: () => number;
  names: () => string[];
  stop: () => void;
} {
  const names: string[] = [];
  const client = db.conn.getClient();
  const listener = (event: { commandName: string }) => {
    if (!HOUSEKEEPING.has(event.commandName)) names.push(event.commandName);
  };
  client.on('commandStarted', listener);
  return {
    count: () => names.length,
    names: () => [...names],
    stop: () => client.off('commandStarted', listener),
  };
}
