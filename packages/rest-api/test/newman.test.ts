/**
 * Runs the Postman collection (postman/conduit.postman_collection.json) with newman against
 * the real app: real PostgreSQL (a fresh database for this file), real Redis (a key prefix of
 * its own), a real HTTP server on a random port. Any failed Postman assertion fails this test,
 * and the failure message lists every one of them.
 */
import path from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { startApi, type TestApi } from './helpers';

const POSTMAN = path.join(__dirname, '..', 'postman');
const COLLECTION = path.join(POSTMAN, 'conduit.postman_collection.json');
const ENVIRONMENT = path.join(POSTMAN, 'conduit.postman_environment.json');

/** newman's Node API, as a promise. No reporter: the failures are printed by the assertion. */
function runCollection(baseUrl: string): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: COLLECTION,
        environment: ENVIRONMENT,
        envVar: [{ key: 'baseUrl', value: `${baseUrl}/api` }],
        reporters: [],
        timeoutRequest: 10_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

/** One line per failed assertion: "<request> › <assertion>: <message>". */
function failuresOf(summary: NewmanRunSummary): string[] {
  return summary.run.failures.map((failure) => {
    const request = (failure.source as { name?: string } | undefined)?.name ?? 'collection';
    const error = failure.error as { test?: string; message: string };
    return `${request} › ${error.test ?? error.message}: ${error.message}`;
  });
}

describe('Postman collection run by newman', () => {
  let t: TestApi;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startApi('newman');
    baseUrl = await t.listen();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('when the collection runs against the live server, then every assertion passes', async () => {
    const summary = await runCollection(baseUrl);

    expect(failuresOf(summary)).toEqual([]);
    // Guards against a collection that silently stopped asserting anything.
    expect(summary.run.stats.requests.total).toBeGreaterThanOrEqual(100);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(500);
  }, 120_000);

  it('when the collection runs again on the same database, then it still passes (fresh names per run)', async () => {
    const summary = await runCollection(baseUrl);

    expect(failuresOf(summary)).toEqual([]);
    const users = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    // Two runs registered three users each, with different names.
    expect(users.rows[0]?.n).toBe(6);
  }, 120_000);
});
