import { countContent, migrate, seedDemoIfEmpty } from '@roadmap/data-sql';
import { createTestDatabase, type TestDatabase } from '@roadmap/kit/testing';
import { registerUser, startApi, type TestApi } from './helpers';

let t: TestApi;
beforeAll(async () => {
  t = await startApi('first_look');
});
afterAll(async () => {
  await t?.stop();
});

describe('a first look at the API', () => {
  it('when a browser opens /, then a small index points at the docs, the data and the other apps', async () => {
    const res = await t.http().get('/').expect(200);
    expect(res.body).toMatchObject({
      name: 'Conduit REST API',
      links: {
        docs: '/docs',
        openapi: '/api/openapi.json',
        articles: '/api/articles',
        tags: '/api/tags',
        health: '/healthz',
        ready: '/readyz',
      },
      otherApps: expect.objectContaining({ basics: 'http://localhost:8080/' }),
    });
  });
});

describe('demo data for development', () => {
  let empty: TestDatabase;
  beforeAll(async () => {
    empty = await createTestDatabase({
      name: 'rest_demo',
      setup: async (url) => void (await migrate(url)),
    });
  });
  afterAll(async () => {
    await empty?.drop();
  });

  it('when the database is empty, then a small demo set is seeded and the line to print says so', async () => {
    const lines: string[] = [];
    const seeded = await seedDemoIfEmpty(empty.pool, (line) => lines.push(line));
    expect(seeded).toBe(true);
    const counts = await countContent(empty.pool);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.articles).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(
      /empty database: seeded a demo set of \d+ users and \d+ articles/,
    );
  });

  it('when the database holds anything, then nothing is touched', async () => {
    await registerUser(t, 'own');
    const before = await countContent(t.db.pool);
    expect(await seedDemoIfEmpty(t.db.pool, () => undefined)).toBe(false);
    expect(await countContent(t.db.pool)).toEqual(before);
  });
});
