// Checks of the apps besides the REST API, run against their containers by ci-images.sh (and by
// hand against any running stack). Each check runs when its base URL is given:
//
//   REST_URL           the REST API (signs the tokens, writes the outbox)        required
//   GRAPHQL_URL        graphql-api: an article created over REST is read over GraphQL
//   NOTIFICATIONS_URL  notifications: 401 without a token, a list with a REST token (JWKS)
//   RELAY_URL          the outbox relay: /stats answers
//
// With NOTIFICATIONS_URL set, one end-to-end check across the apps: a follow over REST → outbox
// row → relay → RabbitMQ → notifications consumer → the followed user lists a `user.followed`
// notification (a relay must be running; RELAY_URL, when given, must then report a publish).
// Usage: REST_URL=… GRAPHQL_URL=… node smoke-services.mjs — ci-images.sh with each container's
// port, smoke-ingress.sh with the one Ingress address for all. Exits 1 naming the failed check.
const base = (name) => process.env[name]?.replace(/\/$/, '') || undefined;
const rest = base('REST_URL');
const graphql = base('GRAPHQL_URL');
const notifications = base('NOTIFICATIONS_URL');
const relay = base('RELAY_URL');
/** How long the end-to-end check waits for the notification (the chain is asynchronous). */
const deliveryTimeoutMs = Number(process.env.DELIVERY_TIMEOUT_MS ?? 30_000);
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function call(step, url, { method = 'GET', body, token, expect = 'ok' } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Token ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  const wanted = expect === 'ok' ? res.ok : res.status === expect;
  if (!wanted) throw new Error(`${step}: ${method} ${url} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function register(name) {
  const user = {
    username: `${name}_${id}`,
    email: `${name}_${id}@example.com`,
    password: 'smoke-pass-123',
  };
  const { user: registered } = await call(`register ${name}`, `${rest}/api/users`, {
    method: 'POST',
    body: { user },
  });
  return registered;
}

async function checkGraphql(author) {
  const { article } = await call('create article over REST', `${rest}/api/articles`, {
    method: 'POST',
    token: author.token,
    body: {
      article: { title: `Services ${id}`, description: 'smoke', body: 'Both APIs.', tagList: [] },
    },
  });
  const query = `query Smoke($slug: String!) {
    tags
    article(slug: $slug) { title author { username } }
    articles(first: 1) { edges { node { slug } } }
  }`;
  const { data, errors } = await call('GraphQL query', `${graphql}/graphql`, {
    method: 'POST',
    body: { query, variables: { slug: article.slug } },
  });
  if (errors?.length) throw new Error(`GraphQL query: errors ${JSON.stringify(errors)}`);
  if (!Array.isArray(data?.tags)) throw new Error('GraphQL query: no tags list');
  if (data.article.title !== article.title || data.article.author.username !== author.username)
    throw new Error(`GraphQL query: got ${JSON.stringify(data.article)}`);
  console.log(`graphql-api: read /api/articles/${article.slug} back as Query.article`);
}

async function checkNotificationsAuth(user) {
  await call('notifications without a token', `${notifications}/api/notifications`, {
    expect: 401,
  });
  const list = await call('notifications with a REST token', `${notifications}/api/notifications`, {
    token: user.token,
  });
  if (!Array.isArray(list.notifications)) throw new Error('notifications: no list');
  console.log('notifications: 401 without a token, a list with a token from rest-api (JWKS)');
}

async function checkRelay() {
  const stats = await call('relay /stats', `${relay}/stats`);
  for (const key of ['published', 'unpublished'])
    if (typeof stats[key] !== 'number')
      throw new Error(`relay /stats: no ${key} in ${JSON.stringify(stats)}`);
  return stats;
}

async function checkFollowNotifies(follower, followed) {
  await call('follow over REST', `${rest}/api/profiles/${followed.username}/follow`, {
    method: 'POST',
    token: follower.token,
  });
  const started = Date.now();
  for (;;) {
    const { notifications: list } = await call(
      'notifications of the followed user',
      `${notifications}/api/notifications`,
      { token: followed.token },
    );
    const found = list.find(
      (n) => n.kind === 'user.followed' && n.actor.username === follower.username,
    );
    if (found) {
      console.log(
        `end to end: ${follower.username} followed ${followed.username} over REST; ` +
          `notification ${found.id} listed after ${Date.now() - started} ms`,
      );
      return;
    }
    if (Date.now() - started > deliveryTimeoutMs)
      throw new Error(
        `end to end: no user.followed notification for ${followed.username} after ` +
          `${deliveryTimeoutMs} ms` +
          (relay ? ` (relay /stats: ${JSON.stringify(await checkRelay().catch(String))})` : ''),
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

try {
  if (!rest) throw new Error('setup: REST_URL is required (it signs tokens and writes events)');
  const [alice, bob] = await Promise.all([register('alice'), register('bob')]);
  if (graphql) await checkGraphql(alice);
  if (notifications) await checkNotificationsAuth(bob);
  if (relay) {
    const stats = await checkRelay();
    console.log(`relay: /stats ${JSON.stringify(stats)}`);
  }
  if (notifications) await checkFollowNotifies(alice, bob);
  if (notifications && relay) {
    const stats = await checkRelay();
    if (stats.published < 1)
      throw new Error(`relay /stats: nothing published (${JSON.stringify(stats)})`);
  }
} catch (error) {
  console.error(
    `services smoke FAILED at ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
