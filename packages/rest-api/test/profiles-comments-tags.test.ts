import { createArticle, registerUser, useApi, unique, type TestUser } from './helpers';

const t = useApi('social');
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  alice = await registerUser(t, 'alice');
  bob = await registerUser(t, 'bob');
});

describe('profiles', () => {
  it('when anonymous, then the profile with following false and null bio/image', async () => {
    const res = await t.http().get(`/api/profiles/${alice.username}`).expect(200);
    expect(res.body).toEqual({
      profile: { username: alice.username, bio: null, image: null, following: false },
    });
  });

  it('when bob follows and unfollows alice, then following flips and persists', async () => {
    const follow = await t
      .http()
      .post(`/api/profiles/${alice.username}/follow`)
      .set(bob.auth)
      .expect(200);
    expect(follow.body).toMatchObject({ profile: { username: alice.username, following: true } });
    const seen = await t.http().get(`/api/profiles/${alice.username}`).set(bob.auth).expect(200);
    expect(seen.body).toMatchObject({ profile: { following: true } });
    const rows = await t.db.pool.query(
      'SELECT 1 FROM follows f JOIN users u ON u.id = f.followee_id WHERE u.username = $1',
      [alice.username],
    );
    expect(rows.rowCount).toBe(1);
    const unfollow = await t
      .http()
      .delete(`/api/profiles/${alice.username}/follow`)
      .set(bob.auth)
      .expect(200);
    expect(unfollow.body).toMatchObject({ profile: { following: false } });
  });

  it('when the username is unknown, then 404 {"profile":["not found"]} for get, follow and unfollow', async () => {
    const get = await t.http().get('/api/profiles/ghost-user').expect(404);
    expect(get.body).toMatchObject({ errors: { profile: ['not found'] } });
    const follow = await t.http().post('/api/profiles/ghost-user/follow').set(bob.auth).expect(404);
    expect(follow.body).toMatchObject({ errors: { profile: ['not found'] } });
    const unfollow = await t
      .http()
      .delete('/api/profiles/ghost-user/follow')
      .set(bob.auth)
      .expect(404);
    expect(unfollow.body).toMatchObject({ errors: { profile: ['not found'] } });
  });

  it('when following without a token, then 401; following yourself, then 422', async () => {
    const anonymous = await t.http().post(`/api/profiles/${alice.username}/follow`).expect(401);
    expect(anonymous.body).toMatchObject({ errors: { token: ['is missing'] } });
    const self = await t
      .http()
      .post(`/api/profiles/${alice.username}/follow`)
      .set(alice.auth)
      .expect(422);
    expect(self.body).toMatchObject({ errors: { username: ['cannot follow yourself'] } });
  });
});

describe('comments', () => {
  let slug: string;
  beforeAll(async () => {
    slug = (await createArticle(t, alice)).slug;
  });

  it('when bob comments, then 201 and the list shows it, oldest first', async () => {
    const first = await t
      .http()
      .post(`/api/articles/${slug}/comments`)
      .set(bob.auth)
      .send({ comment: { body: 'First!' } })
      .expect(201);
    expect(first.body).toEqual({
      comment: {
        id: expect.any(Number),
        body: 'First!',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        author: { username: bob.username, bio: null, image: null, following: false },
      },
    });
    await t
      .http()
      .post(`/api/articles/${slug}/comments`)
      .set(alice.auth)
      .send({ comment: { body: 'Second' } })
      .expect(201);
    const list = await t.http().get(`/api/articles/${slug}/comments`).expect(200);
    expect((list.body as { comments: { body: string }[] }).comments.map((c) => c.body)).toEqual([
      'First!',
      'Second',
    ]);
  });

  it('when the comment is blank, missing, oversized or the wrong type, then 422 naming body', async () => {
    for (const comment of [{ body: '' }, {}, { body: 'x'.repeat(5_001) }, { body: ['x'] }]) {
      const res = await t
        .http()
        .post(`/api/articles/${slug}/comments`)
        .set(bob.auth)
        .send({ comment })
        .expect(422);
      expect(Object.keys((res.body as { errors: object }).errors)).toEqual(['body']);
    }
  });

  it('when the article is unknown, then 404 {"article":["not found"]} for list, add and delete', async () => {
    const list = await t.http().get('/api/articles/missing-one/comments').expect(404);
    expect(list.body).toMatchObject({ errors: { article: ['not found'] } });
    const add = await t
      .http()
      .post('/api/articles/missing-one/comments')
      .set(bob.auth)
      .send({ comment: { body: 'x' } })
      .expect(404);
    expect(add.body).toMatchObject({ errors: { article: ['not found'] } });
    const del = await t
      .http()
      .delete('/api/articles/missing-one/comments/1')
      .set(bob.auth)
      .expect(404);
    expect(del.body).toMatchObject({ errors: { article: ['not found'] } });
  });

  it('when the comment id is unknown, belongs to another article or is not a number, then 404 / 404 / 422', async () => {
    const other = await createArticle(t, alice);
    const elsewhere = await t
      .http()
      .post(`/api/articles/${other.slug}/comments`)
      .set(bob.auth)
      .send({ comment: { body: 'x' } })
      .expect(201);
    const id = (elsewhere.body as { comment: { id: number } }).comment.id;
    const unknown = await t
      .http()
      .delete(`/api/articles/${slug}/comments/99999999`)
      .set(bob.auth)
      .expect(404);
    expect(unknown.body).toMatchObject({ errors: { comment: ['not found'] } });
    const wrongArticle = await t
      .http()
      .delete(`/api/articles/${slug}/comments/${id}`)
      .set(bob.auth)
      .expect(404);
    expect(wrongArticle.body).toMatchObject({ errors: { comment: ['not found'] } });
    const notNumber = await t
      .http()
      .delete(`/api/articles/${slug}/comments/abc`)
      .set(bob.auth)
      .expect(422);
    expect(notNumber.body).toMatchObject({ errors: { id: [expect.any(String)] } });
  });

  it('when someone else deletes a comment, then 403 {"comment":["forbidden"]}; its author, then 204', async () => {
    const res = await t
      .http()
      .post(`/api/articles/${slug}/comments`)
      .set(alice.auth)
      .send({ comment: { body: "alice's" } })
      .expect(201);
    const id = (res.body as { comment: { id: number } }).comment.id;
    const forbidden = await t
      .http()
      .delete(`/api/articles/${slug}/comments/${id}`)
      .set(bob.auth)
      .expect(403);
    expect(forbidden.body).toMatchObject({ errors: { comment: ['forbidden'] } });
    await t.http().delete(`/api/articles/${slug}/comments/${id}`).set(alice.auth).expect(204);
    const rows = await t.db.pool.query('SELECT 1 FROM comments WHERE id = $1', [id]);
    expect(rows.rowCount).toBe(0);
  });

  it('when no token is sent, then 401 for add and delete', async () => {
    const add = await t
      .http()
      .post(`/api/articles/${slug}/comments`)
      .send({ comment: { body: 'x' } })
      .expect(401);
    expect(add.body).toMatchObject({ errors: { token: ['is missing'] } });
    const del = await t.http().delete(`/api/articles/${slug}/comments/1`).expect(401);
    expect(del.body).toMatchObject({ errors: { token: ['is missing'] } });
  });
});

describe('tags', () => {
  it('when an article carries new tags, then GET /api/tags lists them at once', async () => {
    const tags = [unique('zz'), unique('aa')];
    await createArticle(t, alice, { tagList: tags });
    const res = await t.http().get('/api/tags').expect(200);
    const listed = (res.body as { tags: string[] }).tags;
    expect(listed).toEqual(expect.arrayContaining(tags));
    expect(listed).toEqual([...listed].sort());
  });
});
