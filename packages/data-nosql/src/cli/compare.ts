// `pnpm --filter @roadmap/data-nosql compare [--scale N] [--runs N]`
// The same five Conduit questions asked of PostgreSQL (data-sql's schema) and MongoDB (this
// package's documents), over the same data, with the query and its measured latency.
//
// Why the SQL is here and not imported: the package graph lets data-nosql import only kit, so
// this script talks to data-sql's *schema* through `pg` directly and runs data-sql's own seed
// command (`pnpm --filter @roadmap/data-sql db:seed`) as a separate process — the schema and
// the seed stay data-sql's, nothing is copied but five read-only questions.
import { spawnSync } from 'node:child_process';
import { probeService, runMain, StartupError, unreachableMessage } from '@roadmap/kit';
import { trusted, Types } from 'mongoose';
import pg from 'pg';
import { loadDataNosqlConfig, mongoLimits } from '../config';
import { closeMongo, connectMongo, ensureSchema, type MongoDb } from '../mongo/connection';
import { ARTICLE_SCHEMA_VERSION } from '../mongo/schemas';
import { tagCounts, tagPageWithTotal, topAuthors } from '../lessons/mongo/aggregation';

const print = (line = '') => process.stdout.write(`${line}\n`);
const DATABASE = 'conduit_compare';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0)
    throw new StartupError(
      `--${name} must be a positive number (got "${process.argv[i + 1] ?? ''}").`,
    );
  return value;
}

/** Integer ids from PostgreSQL as stable ObjectIds: a kind byte, then the id in hex. */
const oid = (kind: number, id: number) =>
  new Types.ObjectId(kind.toString(16).padStart(2, '0') + id.toString(16).padStart(22, '0'));
const [USER, ARTICLE, COMMENT, FAVORITE, FOLLOW] = [1, 2, 3, 4, 5];

async function sqlArticleCount(pool: pg.Pool): Promise<number | null> {
  try {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    return rows[0]!.n;
  } catch {
    return null; // database or table missing
  }
}

/** Copies the relational rows into documents: tags embedded, everything else referenced. */
async function loadMongoFromSql(pool: pg.Pool, db: MongoDb): Promise<void> {
  const q = async <T extends pg.QueryResultRow>(sql: string) => (await pool.query<T>(sql)).rows;
  const [users, articles, tags, favorites, follows, comments] = await Promise.all([
    q<{
      id: number;
      email: string;
      username: string;
      bio: string | null;
      image: string | null;
      role: string;
      created_at: Date;
      updated_at: Date;
    }>('SELECT id, email, username, bio, image, role, created_at, updated_at FROM users'),
    q<{
      id: number;
      slug: string;
      title: string;
      description: string;
      body: string;
      author_id: number;
      favorites_count: number;
      created_at: Date;
      updated_at: Date;
    }>(
      'SELECT id, slug, title, description, body, author_id, favorites_count, created_at, updated_at FROM articles',
    ),
    q<{ article_id: number; name: string }>(
      'SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id ORDER BY at.article_id, at.position',
    ),
    q<{ user_id: number; article_id: number; created_at: Date }>(
      'SELECT user_id, article_id, created_at FROM favorites',
    ),
    q<{ follower_id: number; followee_id: number; created_at: Date }>(
      'SELECT follower_id, followee_id, created_at FROM follows',
    ),
    q<{
      id: number;
      body: string;
      article_id: number;
      author_id: number;
      created_at: Date;
      updated_at: Date;
    }>('SELECT id, body, article_id, author_id, created_at, updated_at FROM comments'),
  ]);
  const tagLists = new Map<number, string[]>();
  for (const t of tags) tagLists.set(t.article_id, [...(tagLists.get(t.article_id) ?? []), t.name]);

  await Promise.all(
    [db.User, db.Article, db.Comment, db.Favorite, db.Follow].map((m) =>
      m.collection.deleteMany({}),
    ),
  );
  const insert = async (collection: MongoDb['User']['collection'], docs: object[]) => {
    for (let i = 0; i < docs.length; i += 1000)
      await collection.insertMany(docs.slice(i, i + 1000), { ordered: false });
  };
  await insert(
    db.User.collection,
    users.map((u) => ({
      _id: oid(USER, u.id),
      email: u.email.toLowerCase(),
      username: u.username,
      passwordHash: null,
      bio: u.bio,
      image: u.image,
      role: u.role,
      createdAt: u.created_at,
      updatedAt: u.updated_at,
    })),
  );
  await insert(
    db.Article.collection,
    articles.map((a) => ({
      _id: oid(ARTICLE, a.id),
      slug: a.slug,
      title: a.title,
      description: a.description,
      body: a.body,
      tagList: tagLists.get(a.id) ?? [],
      author: oid(USER, a.author_id),
      favoritesCount: a.favorites_count,
      schemaVersion: ARTICLE_SCHEMA_VERSION,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
    })),
  );
  await insert(
    db.Favorite.collection,
    favorites.map((f, i) => ({
      _id: oid(FAVORITE, i + 1),
      user: oid(USER, f.user_id),
      article: oid(ARTICLE, f.article_id),
      createdAt: f.created_at,
    })),
  );
  await insert(
    db.Follow.collection,
    follows.map((f, i) => ({
      _id: oid(FOLLOW, i + 1),
      follower: oid(USER, f.follower_id),
      followee: oid(USER, f.followee_id),
      createdAt: f.created_at,
    })),
  );
  await insert(
    db.Comment.collection,
    comments.map((c) => ({
      _id: oid(COMMENT, c.id),
      article: oid(ARTICLE, c.article_id),
      author: oid(USER, c.author_id),
      body: c.body,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    })),
  );
}

interface Question {
  title: string;
  sql: string;
  sqlParams: unknown[];
  mongo: string;
  runMongo: (db: MongoDb) => Promise<unknown>;
  /** Turns each side's rows into one comparable string: the answers must agree. */
  sqlAnswer: (rows: pg.QueryResultRow[]) => string;
  mongoAnswer: (result: unknown) => string;
}

interface Timing {
  p50: number;
  p95: number;
}

/**
 * p50/p95 of each function over `runs` runs after 5 warm-up runs. Why alternate the two sides
 * run by run (rather than all SQL, then all Mongo): a busy machine slows whatever runs at that
 * moment; interleaved, both sides see the same noise, so their ratio stays meaningful.
 */
async function timeSideBySide(fns: (() => Promise<unknown>)[], runs: number): Promise<Timing[]> {
  for (let i = 0; i < 5; i++) for (const fn of fns) await fn();
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      const started = performance.now();
      await fn();
      samples[k]!.push(performance.now() - started);
    }
  }
  return samples.map((list) => {
    list.sort((a, b) => a - b);
    return {
      p50: list[Math.floor(runs * 0.5)]!,
      p95: list[Math.min(runs - 1, Math.floor(runs * 0.95))]!,
    };
  });
}

runMain(async () => {
  const config = loadDataNosqlConfig();
  const scale = flag('scale', 0.2);
  const runs = Math.round(flag('runs', 50));
  const sqlUrl = new URL(config.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/conduit');
  sqlUrl.pathname = `/${DATABASE}`;

  const pgProbe = await probeService(
    'postgres',
    sqlUrl.toString().replace(`/${DATABASE}`, '/postgres'),
  );
  if (!pgProbe.ok) throw new StartupError(unreachableMessage(pgProbe));
  let pool = new pg.Pool({ connectionString: sqlUrl.toString(), max: 2 });
  let articles = await sqlArticleCount(pool);
  if (!articles) {
    print(
      `PostgreSQL database ${DATABASE} is empty: seeding it with data-sql's own seed (scale ${scale})…`,
    );
    await pool.end();
    const seeded = spawnSync(
      'pnpm',
      ['--filter', '@roadmap/data-sql', 'db:seed', '--scale', String(scale)],
      {
        env: { ...process.env, DATABASE_URL: sqlUrl.toString() },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (seeded.status !== 0)
      throw new StartupError('data-sql db:seed failed (its error is above).');
    pool = new pg.Pool({ connectionString: sqlUrl.toString(), max: 2 });
    articles = await sqlArticleCount(pool);
  }

  let mongo: MongoDb | null = null;
  try {
    mongo = await connectMongo(config.MONGO_URL, {
      dbName: DATABASE,
      serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS,
      socketTimeoutMS: config.MONGO_SOCKET_TIMEOUT_MS,
      limits: mongoLimits(config),
    });
  } catch {
    print(`${unreachableMessage(await probeService('mongo', config.MONGO_URL))}`);
    print('→ MongoDB is unreachable: only the SQL side is measured below.\n');
  }
  try {
    if (mongo) {
      await ensureSchema(mongo);
      if ((await mongo.Article.estimatedDocumentCount()) !== articles) {
        print(
          `Copying ${articles} articles (and their users, favorites, follows, comments) into MongoDB ${DATABASE}…`,
        );
        await loadMongoFromSql(pool, mongo);
      }
    }

    // The parameters: real values from the data, the same on both sides.
    const {
      rows: [params],
    } = await pool.query<{ slug: string; tag: string; follower: number }>(`
      SELECT (SELECT slug FROM articles ORDER BY id LIMIT 1) AS slug,
             (SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id GROUP BY t.name ORDER BY count(*) DESC, t.name LIMIT 1) AS tag,
             (SELECT follower_id FROM follows GROUP BY follower_id ORDER BY count(*) DESC, follower_id LIMIT 1) AS follower`);
    const { slug, tag, follower } = params!;
    const followerOid = oid(USER, follower);

    const questions: Question[] = [
      {
        title: '1. One article by slug, with its author and tags',
        sql: `SELECT a.slug, a.title, u.username, (SELECT array_agg(t.name ORDER BY at.position) FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_list
  FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = $1`,
        sqlParams: [slug],
        mongo: `articles.aggregate([{ $match: { slug } }, { $lookup: { from: 'users', localField: 'author', foreignField: '_id', as: 'author' } }, { $unwind: '$author' }])   // tags are in the document`,
        runMongo: (db) =>
          db.Article.aggregate([
            { $match: { slug } },
            { $lookup: { from: 'users', localField: 'author', foreignField: '_id', as: 'author' } },
            { $unwind: '$author' },
            { $project: { slug: 1, title: 1, 'author.username': 1, tagList: 1 } },
          ]),
        sqlAnswer: (rows) =>
          rows
            .map((r) => `${r.username}:${((r.tag_list as string[] | null) ?? []).join(',')}`)
            .join(';'),
        mongoAnswer: (r) =>
          (r as { author: { username: string }; tagList: string[] }[])
            .map((d) => `${d.author.username}:${d.tagList.join(',')}`)
            .join(';'),
      },
      {
        title: `2. Newest 20 articles tagged "${tag}", with the total`,
        sql: `SELECT a.slug, count(*) OVER () AS total FROM articles a JOIN article_tags at ON at.article_id = a.id JOIN tags t ON t.id = at.tag_id
  WHERE t.name = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 20`,
        sqlParams: [tag],
        mongo: `articles.aggregate([{ $match: { tagList: tag } }, { $facet: { items: [{ $sort }, { $skip }, { $limit: 20 }], total: [{ $count: 'n' }] } }])`,
        runMongo: (db) => tagPageWithTotal(db, tag, 20, 0),
        sqlAnswer: (rows) =>
          `${String(rows[0]?.total)}:${rows.map((r) => r.slug as string).join(',')}`,
        mongoAnswer: (r) => {
          const page = r as Awaited<ReturnType<typeof tagPageWithTotal>>;
          return `${page.total}:${page.items.map((i) => i.slug).join(',')}`;
        },
      },
      {
        title: '3. Feed: newest 20 articles by the authors a user follows',
        sql: `SELECT a.slug FROM articles a JOIN follows f ON f.followee_id = a.author_id
  WHERE f.follower_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 20`,
        sqlParams: [follower],
        mongo: `follows.find({ follower }) then articles.find({ author: { $in: followees } }).sort({ createdAt: -1, _id: -1 }).limit(20)   // 2 commands`,
        runMongo: async (db) => {
          const follows = await db.Follow.find({ follower: followerOid }, { followee: 1 }).lean();
          return db.Article.find(
            { author: trusted({ $in: follows.map((f) => f.followee) }) },
            {
              slug: 1,
            },
          )
            .sort({ createdAt: -1, _id: -1 })
            .limit(20)
            .lean();
        },
        sqlAnswer: (rows) => rows.map((r) => r.slug as string).join(','),
        mongoAnswer: (r) => (r as { slug: string }[]).map((d) => d.slug).join(','),
      },
      {
        // COLLATE "C": ties in byte order, as MongoDB compares strings without a collation.
        title: '4. The 10 most used tags',
        sql: `SELECT t.name, count(*)::int AS articles FROM article_tags at JOIN tags t ON t.id = at.tag_id
  GROUP BY t.name ORDER BY articles DESC, t.name COLLATE "C" LIMIT 10`,
        sqlParams: [],
        mongo: `articles.aggregate([{ $unwind: '$tagList' }, { $group: { _id: '$tagList', articles: { $sum: 1 } } }, { $sort: { articles: -1, _id: 1 } }, { $limit: 10 }])`,
        runMongo: (db) => tagCounts(db, 10),
        sqlAnswer: (rows) => rows.map((r) => `${r.name}=${r.articles}`).join(','),
        mongoAnswer: (r) =>
          (r as { tag: string; articles: number }[]).map((t) => `${t.tag}=${t.articles}`).join(','),
      },
      {
        title: '5. The 5 authors whose articles were favorited most',
        sql: `SELECT u.username, count(*)::int AS articles, sum(a.favorites_count)::int AS favorites FROM articles a JOIN users u ON u.id = a.author_id
  GROUP BY u.id ORDER BY favorites DESC, articles DESC, u.id LIMIT 5`,
        sqlParams: [],
        mongo: `articles.aggregate([{ $group: { _id: '$author', favorites: { $sum: '$favoritesCount' } } }, { $sort }, { $limit: 5 }, { $lookup: users }])`,
        runMongo: (db) => topAuthors(db, 5),
        sqlAnswer: (rows) => rows.map((r) => `${r.username}=${r.favorites}`).join(','),
        mongoAnswer: (r) =>
          (r as { username: string; favorites: number }[])
            .map((a) => `${a.username}=${a.favorites}`)
            .join(','),
      },
    ];

    print(
      `PostgreSQL ${DATABASE}: ${articles} articles. MongoDB: ${mongo ? `${DATABASE}, same data` : 'unreachable'}. ${runs} runs each after 5 warm-up runs.\n`,
    );
    const table: string[] = [];
    for (const question of questions) {
      print(question.title);
      print(`  SQL:   ${question.sql}`);
      print(`  Mongo: ${question.mongo}`);
      const sqlRows = (await pool.query<pg.QueryResultRow>(question.sql, question.sqlParams)).rows;
      const runSql = () => pool.query(question.sql, question.sqlParams);
      let mongoCell = 'unreachable';
      let ratio = '—';
      let agree = '—';
      let sqlTime: Timing;
      if (mongo) {
        const db = mongo;
        const result = await question.runMongo(db);
        const [sqlT, mongoT] = await timeSideBySide([runSql, () => question.runMongo(db)], runs);
        sqlTime = sqlT!;
        mongoCell = `${mongoT!.p50.toFixed(2)} / ${mongoT!.p95.toFixed(2)}`;
        ratio = `${(mongoT!.p50 / sqlT!.p50).toFixed(2)}×`;
        agree = question.sqlAnswer(sqlRows) === question.mongoAnswer(result) ? 'yes' : 'NO';
      } else {
        [sqlTime] = (await timeSideBySide([runSql], runs)) as [Timing];
      }
      print(`  answer: ${question.sqlAnswer(sqlRows).slice(0, 100)}\n`);
      table.push(
        `| ${question.title.slice(3).padEnd(56)} | ${`${sqlTime.p50.toFixed(2)} / ${sqlTime.p95.toFixed(2)}`.padStart(15)} | ${mongoCell.padStart(15)} | ${ratio.padStart(12)} | ${agree.padStart(11)} |`,
      );
    }
    print(
      `| ${'question'.padEnd(56)} | ${'SQL p50 / p95'.padStart(15)} | ${'Mongo p50 / p95'.padStart(15)} | ${'Mongo ÷ SQL'.padStart(12)} | same answer |`,
    );
    print(
      `| ${'-'.repeat(56)} | ${'-'.repeat(14)}: | ${'-'.repeat(14)}: | ${'-'.repeat(11)}: | ${'-'.repeat(10)}: |`,
    );
    for (const row of table) print(row);
    print(
      '\n(milliseconds, one client, localhost; both sides measured in alternation, run by run)',
    );
  } finally {
    await pool.end();
    if (mongo) await closeMongo(mongo);
  }
});
