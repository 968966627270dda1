import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createArticle, listen, registerUser, startApi, type TestApi } from './helpers';

/**
 * Two instances of the API over the same database and Redis, as behind a load balancer: a
 * comment added through instance A reaches a subscriber connected to instance B, because the
 * event travels through Redis pub/sub, not through A's memory.
 */
let a: TestApi;
let b: TestApi;
let serverB: { url: string; close: () => Promise<void> };
const clients: Client[] = [];

beforeAll(async () => {
  a = await startApi('subscriptions');
  b = await startApi('subscriptions_b', { sharing: a });
  serverB = await listen(b.api);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await serverB.close();
  await b.stop();
  await a.stop();
});

function connect(connectionParams: Record<string, unknown> = {}) {
  let closed: { code: number; reason: string } | undefined;
  const client = createClient({
    url: `ws://${serverB.url}`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // a refused socket is what one test expects
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed = { code, reason };
      },
    },
  });
  clients.push(client);
  return { client, closed: () => closed };
}

/** Resolves when Redis counts a subscriber on the article's channel (the socket is ready). */
async function waitForSubscriber(slug: string): Promise<void> {
  const channel = `${a.redis.prefix}comment-added:${slug}`;
  for (let i = 0; i < 100; i++) {
    const [, count] = (await a.redis.redis.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(count) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no subscriber on ${channel}`);
}

interface Pushed {
  data?: { commentAdded: { body: string; author: { username: string; following: boolean } } };
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

function firstEvent(client: Client, slug: string): Promise<Pushed> {
  return new Promise((resolve, reject) => {
    const dispose = client.subscribe<Pushed['data']>(
      {
        query: `subscription ($slug: String!) { commentAdded(slug: $slug) { body author { username following } } }`,
        variables: { slug },
      },
      {
        next: (value) => {
          dispose();
          resolve(value as Pushed);
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

describe('commentAdded over graphql-ws, across instances', () => {
  it('when a comment is added through instance A, then a subscriber on instance B receives it, with its own following flag', async () => {
    const author = await registerUser(a, 'writer');
    const reader = await registerUser(a, 'subscriber');
    await a.gql(
      `mutation { follow(username: "${author.username}") { following } }`,
      {},
      reader.token,
    );
    const { slug } = await createArticle(a, author);

    const { client } = connect({ authToken: reader.token });
    const event = firstEvent(client, slug);
    await waitForSubscriber(slug);
    await a
      .gql(
        `mutation { addComment(slug: "${slug}", body: "across instances") { id } }`,
        {},
        author.token,
      )
      .expect(200);

    await expect(event).resolves.toEqual({
      data: {
        commentAdded: {
          body: 'across instances',
          author: { username: author.username, following: true },
        },
      },
    });
  });

  it('when the token in connectionParams is forged, then the socket is closed with 4403 before any operation', async () => {
    const { client, closed } = connect({ authToken: 'not.a.token' });
    const event = firstEvent(client, 'anything').catch((error: unknown) => error);
    await event;
    expect(closed()).toMatchObject({ code: 4403 });
  });

  it('when the slug is unknown, then the subscription ends with a NOT_FOUND error', async () => {
    const { client } = connect();
    await expect(firstEvent(client, 'no-such-article')).resolves.toMatchObject({
      errors: [
        { message: 'article not found', extensions: { code: 'NOT_FOUND', field: 'article' } },
      ],
    });
  });
});
