import { createArticle, registerUser, startApi, unique, type TestApi } from './helpers';

let t: TestApi;
beforeAll(async () => {
  t = await startApi('api');
});
afterAll(async () => {
  await t.stop();
});

const ARTICLE_FIELDS = `slug title description body tagList createdAt updatedAt favorited favoritesCount
  author { username bio image following }`;

describe('queries and mutations', () => {
  it('when a user registers, then me answers with the same user and a working token', async () => {
    const user = await registerUser(t);
    const res = await t
      .gql('{ me { username email token bio image } }', {}, user.token)
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me).toMatchObject({
      username: user.username,
      email: user.email,
      bio: null,
    });
    expect(res.body.data.me.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('when a user logs in with the right password, then a token for them comes back; a wrong one is UNAUTHENTICATED on credentials', async () => {
    const user = await registerUser(t);
    const login = `mutation ($input: LoginInput!) { login(input: $input) { username token } }`;
    const ok = await t
      .gql(login, { input: { email: user.email, password: 'correct horse battery' } })
      .expect(200);
    expect(ok.body.data.login.username).toBe(user.username);
    const bad = await t.gql(login, { input: { email: user.email, password: 'wrong password!' } });
    expect(bad.body.data).toBeNull();
    expect(bad.body.errors[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      field: 'credentials',
    });
  });

  it('when a taken username registers again, then CONFLICT names the field', async () => {
    const user = await registerUser(t);
    const res = await t.gql(
      `mutation { register(input: { username: "${user.username}", email: "${unique('e')}@example.com", password: "long enough pw" }) { username } }`,
    );
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
  });

  it('when register gets a short password, then BAD_USER_INPUT names the field and says why', async () => {
    const res = await t.gql(
      `mutation { register(input: { username: "${unique('u')}", email: "${unique('e')}@example.com", password: "short" }) { username } }`,
    );
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'password',
    });
    expect(res.body.errors[0].message).toMatch(/password is too short/);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts/);
  });

  it('when updateUser sets a bio and then null, then the bio is set and cleared', async () => {
    const user = await registerUser(t);
    const update = `mutation ($input: UpdateUserInput!) { updateUser(input: $input) { bio } }`;
    const set = await t.gql(update, { input: { bio: 'hello' } }, user.token).expect(200);
    expect(set.body.data.updateUser.bio).toBe('hello');
    const cleared = await t.gql(update, { input: { bio: null } }, user.token).expect(200);
    expect(cleared.body.data.updateUser.bio).toBeNull();
  });

  it('when an article is created, updated, favorited and read, then every step shows the change', async () => {
    const author = await registerUser(t, 'author');
    const reader = await registerUser(t, 'reader');
    const { slug } = await createArticle(t, author, { tagList: ['graphql', 'rest'] });

    const updated = await t
      .gql(
        `mutation ($slug: String!) { updateArticle(slug: $slug, input: { body: "new body" }) { body tagList } }`,
        { slug },
        author.token,
      )
      .expect(200);
    expect(updated.body.data.updateArticle).toEqual({
      body: 'new body',
      tagList: ['graphql', 'rest'],
    });

    const fav = await t
      .gql(
        `mutation ($slug: String!) { favorite(slug: $slug) { favorited favoritesCount } }`,
        { slug },
        reader.token,
      )
      .expect(200);
    expect(fav.body.data.favorite).toEqual({ favorited: true, favoritesCount: 1 });

    await t.gql(
      `mutation { follow(username: "${author.username}") { following } }`,
      {},
      reader.token,
    );
    const read = await t
      .gql(
        `query ($slug: String!) { article(slug: $slug) { ${ARTICLE_FIELDS} } }`,
        { slug },
        reader.token,
      )
      .expect(200);
    expect(read.body.data.article).toMatchObject({
      slug,
      body: 'new body',
      favorited: true,
      favoritesCount: 1,
      author: { username: author.username, following: true },
    });

    const unfav = await t
      .gql(
        `mutation ($slug: String!) { unfavorite(slug: $slug) { favorited favoritesCount } }`,
        { slug },
        reader.token,
      )
      .expect(200);
    expect(unfav.body.data.unfavorite).toEqual({ favorited: false, favoritesCount: 0 });
  });

  it('when someone else updates or deletes an article, then FORBIDDEN and the article is unchanged', async () => {
    const author = await registerUser(t, 'owner');
    const other = await registerUser(t, 'other');
    const { slug } = await createArticle(t, author);
    const res = await t.gql(`mutation { deleteArticle(slug: "${slug}") }`, {}, other.token);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'article' });
    const still = await t.gql(`{ article(slug: "${slug}") { slug } }`).expect(200);
    expect(still.body.data.article.slug).toBe(slug);
    const deleted = await t.gql(`mutation { deleteArticle(slug: "${slug}") }`, {}, author.token);
    expect(deleted.body.data.deleteArticle).toBe(slug);
    const gone = await t.gql(`{ article(slug: "${slug}") { slug } }`);
    expect(gone.body.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'article' });
  });

  it('when articles are listed with a filter and paged with cursors, then pages are disjoint and counted', async () => {
    const author = await registerUser(t, 'pager');
    const tag = unique('tag');
    for (let i = 0; i < 5; i++) await createArticle(t, author, { tagList: [tag] });
    const query = `query ($tag: String, $after: String) {
      articles(filter: { tag: $tag }, first: 2, after: $after) {
        totalCount edges { cursor node { slug tagList author { username } } }
        pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res = await t.gql(query, { tag, after }).expect(200);
      const connection = res.body.data.articles as {
        totalCount: number;
        edges: { node: { slug: string; tagList: string[]; author: { username: string } } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
      expect(connection.totalCount).toBe(5);
      expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
      expect(connection.pageInfo.hasNextPage).toBe(page < 2);
      for (const edge of connection.edges) {
        expect(edge.node.tagList).toEqual([tag]);
        expect(edge.node.author.username).toBe(author.username);
        seen.push(edge.node.slug);
      }
      after = connection.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(5);
  });

  it('when first is out of bounds or the cursor is forged, then BAD_USER_INPUT names the argument', async () => {
    const tooMany = await t.gql('{ articles(first: 1000) { totalCount } }');
    expect(tooMany.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    const forged = await t.gql('{ articles(after: "bm90LWEtY3Vyc29y") { totalCount } }');
    expect(forged.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });

  it('when a reader follows an author, then the feed holds that author’s articles; without a token it is UNAUTHENTICATED', async () => {
    const author = await registerUser(t, 'fed');
    const reader = await registerUser(t, 'feeder');
    const { slug } = await createArticle(t, author);
    await t.gql(
      `mutation { follow(username: "${author.username}") { following } }`,
      {},
      reader.token,
    );
    const feed = await t
      .gql(
        '{ feed(first: 5) { totalCount edges { node { slug author { following } } } } }',
        {},
        reader.token,
      )
      .expect(200);
    expect(feed.body.data.feed.totalCount).toBe(1);
    expect(feed.body.data.feed.edges[0].node).toEqual({ slug, author: { following: true } });
    const anonymous = await t.gql('{ feed { totalCount } }');
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const unfollow = await t
      .gql(`mutation { unfollow(username: "${author.username}") { following } }`, {}, reader.token)
      .expect(200);
    expect(unfollow.body.data.unfollow.following).toBe(false);
  });

  it('when comments are added and one deleted, then comments lists the rest and tags lists the new tag', async () => {
    const author = await registerUser(t, 'commenter');
    const tag = unique('t');
    const { slug } = await createArticle(t, author, { tagList: [tag] });
    const add = `mutation ($slug: String!, $body: String!) { addComment(slug: $slug, body: $body) { id body author { username } } }`;
    const first = await t.gql(add, { slug, body: 'first!' }, author.token).expect(200);
    await t.gql(add, { slug, body: 'second' }, author.token).expect(200);
    const id = first.body.data.addComment.id;
    const del = await t.gql(
      `mutation { deleteComment(slug: "${slug}", id: ${id}) }`,
      {},
      author.token,
    );
    expect(del.body.data.deleteComment).toBe(id);
    const list = await t
      .gql(
        `{ comments(slug: "${slug}") { totalCount edges { node { body author { username } } } } }`,
      )
      .expect(200);
    expect(list.body.data.comments).toEqual({
      totalCount: 1,
      edges: [{ node: { body: 'second', author: { username: author.username } } }],
    });
    const tags = await t.gql('{ tags }').expect(200);
    expect(tags.body.data.tags).toContain(tag);
    const profile = await t
      .gql(`{ profile(username: "${author.username}") { username following } }`)
      .expect(200);
    expect(profile.body.data.profile).toEqual({ username: author.username, following: false });
  });

  it('when a mutation has no token, then UNAUTHENTICATED with HTTP 200 and nothing is written', async () => {
    const title = unique('Anonymous ');
    const res = await t
      .gql(
        `mutation { createArticle(input: { title: "${title}", description: "d", body: "b" }) { slug } }`,
      )
      .expect(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      field: 'token',
    });
    const { rows } = await t.db.pool.query('SELECT 1 FROM articles WHERE title = $1', [title]);
    expect(rows).toHaveLength(0);
  });

  it('when the token comes with the Bearer scheme, then it works like Token', async () => {
    const user = await registerUser(t);
    const res = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer ${user.token}`)
      .send({ query: '{ me { username } }' })
      .expect(200);
    expect(res.body.data.me.username).toBe(user.username);
  });

  it('when the token is forged, then 401 UNAUTHENTICATED before anything runs', async () => {
    const res = await t.gql('{ tags }', {}, 'a.b.c').expect(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
