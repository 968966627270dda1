// The RealWorld smoke flow against a running REST API: register, create an article, read it
// back anonymously. Exits 1 with the step that failed. Usage: node smoke-conduit.mjs <base URL>
const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function call(step, method, path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Token ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${step}: ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

try {
  const user = {
    username: `smoke_${id}`,
    email: `smoke_${id}@example.com`,
    password: 'smoke-pass-123',
  };
  const { user: registered } = await call('register', 'POST', '/api/users', { user });
  if (registered.username !== user.username) throw new Error('register: wrong username back');

  const article = {
    title: `Smoke ${id}`,
    description: 'from the image smoke test',
    body: 'It runs.',
    tagList: ['smoke'],
  };
  const { article: created } = await call(
    'create article',
    'POST',
    '/api/articles',
    { article },
    registered.token,
  );
  if (created.author.username !== user.username) throw new Error('create article: wrong author');

  const { article: read } = await call('read article', 'GET', `/api/articles/${created.slug}`);
  if (read.title !== article.title || read.body !== article.body || read.tagList[0] !== 'smoke')
    throw new Error(`read article: got ${JSON.stringify(read)}`);
  console.log(
    `conduit smoke: registered ${user.username}, created and read /api/articles/${created.slug}`,
  );
} catch (error) {
  console.error(
    `conduit smoke FAILED at ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
