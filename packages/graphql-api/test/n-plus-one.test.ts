import { registerUser, startApi, type TestApi, type TestUser } from './helpers';

/**
 * The N+1 lesson, measured: data-sql's countRoundTrips wraps the pool conduit queries through
 * and records every statement. With DataLoaders, a page costs the same number of round trips
 * whatever its size; the naive resolvers (same code, loaders without batching) pay per article.
 */
let t: TestApi;
let naive: TestApi;
let reader: TestUser;

const FIELDS = `edges { node { slug favorited tagList author { username following } } }`;
const FEED = `{ feed(first: 20) { ${FIELDS} } }`;
const ARTICLES = `{ articles(first: 50) { ${FIELDS} } }`;

beforeAll(async () => {
  t = await startApi('n_plus_one');
  naive = await startApi('n_plus_one_naive', { naive: true, sharing: t });
  reader = await registerUser(t, 'reader');
  // Ten authors, six articles each (two tags apiece); the reader follows half of them and
  // favorites every third article, so the flags differ from row to row.
  const authors = await Promise.all(
    Array.from({ length: 10 }, (_, i) => registerUser(t, `author${i}_`)),
  );
  const { rows: ids } = await t.db.pool.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE username = ANY($1)',
    [authors.map((a) => a.username)],
  );
  const { rows: me } = await t.db.pool.query<{ id: number }>(
    'SELECT id FROM users WHERE username = $1',
    [reader.username],
  );
  const readerId = me[0]!.id;
  await t.db.pool.query(
    `INSERT INTO articles (slug, title, description, body, author_id)
     SELECT 'n1-' || u.id || '-' || g, 'Title ' || g, 'd', 'b', u.id
       FROM unnest($1::int[]) AS u(id), generate_series(1, 6) AS g`,
    [ids.map((row) => row.id)],
  );
  await t.db.pool.query(`INSERT INTO tags (name) VALUES ('n1-a'), ('n1-b') ON CONFLICT DO NOTHING`);
  await t.db.pool.query(
    `INSERT INTO article_tags (article_id, tag_id, position)
     SELECT a.id, t.id, CASE t.name WHEN 'n1-a' THEN 1 ELSE 2 END
       FROM articles a, tags t WHERE a.slug LIKE 'n1-%' AND t.name IN ('n1-a', 'n1-b')`,
  );
  await t.db.pool.query(
    `INSERT INTO follows (follower_id, followee_id)
     SELECT $1, id FROM unnest($2::int[]) AS x(id) WHERE id % 2 = 0`,
    [readerId, ids.map((row) => row.id)],
  );
  await t.db.pool.query(
    `INSERT INTO favorites (user_id, article_id)
     SELECT $1, id FROM articles WHERE slug LIKE 'n1-%' AND id % 3 = 0`,
    [readerId],
  );
});

afterAll(async () => {
  await naive.stop();
  await t.stop();
});

async function measure(api: TestApi, query: string) {
  api.roundTrips.reset();
  const res = await api.gql(query, {}, reader.token).expect(200);
  expect(res.body.errors).toBeUndefined();
  return { body: res.body.data, roundTrips: api.roundTrips.count() };
}

describe('N+1: round trips per page', () => {
  it('when feed(first: 20) selects author.following, favorited and tagList, then it costs at most 3 round trips', async () => {
    const { body, roundTrips } = await measure(t, FEED);
    expect(body.feed.edges).toHaveLength(20);
    expect(roundTrips).toBeLessThanOrEqual(3);
  });

  it('when articles(first: 50) selects the same fields, then it still costs at most 3 round trips', async () => {
    const { body, roundTrips } = await measure(t, ARTICLES);
    expect(body.articles.edges).toHaveLength(50);
    expect(roundTrips).toBeLessThanOrEqual(3);
  });

  it('when the resolvers run without DataLoader, then the same answer costs round trips per article', async () => {
    const batched = await measure(t, ARTICLES);
    const unbatched = await measure(naive, ARTICLES);
    expect(unbatched.body).toEqual(batched.body);
    // 1 page + per article: its author, its tags and its favorited flag (no batching, no memo).
    expect(unbatched.roundTrips).toBe(1 + 50 * 3);
    const feed = await measure(naive, FEED);
    expect(feed.roundTrips).toBe(1 + 20 * 3);
  });

  it('when flags are read through the loaders, then they are the viewer’s own', async () => {
    const { body } = await measure(t, ARTICLES);
    type Node = {
      slug: string;
      favorited: boolean;
      tagList: string[];
      author: { following: boolean };
    };
    const nodes = (body.articles.edges as { node: Node }[]).map((edge) => edge.node);
    expect(nodes.some((n) => n.favorited)).toBe(true);
    expect(nodes.some((n) => !n.favorited)).toBe(true);
    expect(nodes.some((n) => n.author.following)).toBe(true);
    expect(nodes.some((n) => !n.author.following)).toBe(true);
    for (const node of nodes) expect(node.tagList).toEqual(['n1-a', 'n1-b']);
    // And they match what the database holds for this reader.
    const { rows } = await t.db.pool.query<{ slug: string }>(
      `SELECT a.slug FROM favorites f JOIN users u ON u.id = f.user_id
         JOIN articles a ON a.id = f.article_id WHERE u.username = $1`,
      [reader.username],
    );
    const favorited = new Set(rows.map((row) => row.slug));
    for (const node of nodes) expect(node.favorited).toBe(favorited.has(node.slug));
  });
});
