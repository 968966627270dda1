import { registerUser, useApi, unique } from './helpers';

const t = useApi('users');

describe('POST /api/users (register)', () => {
  it('when the body is valid, then 201 with the user, a token and null bio/image', async () => {
    const username = unique('jake');
    const res = await t
      .http()
      .post('/api/users')
      .send({ user: { username, email: `${username}@example.com`, password: 'jakejakejake' } })
      .expect(201);
    expect(res.body).toEqual({
      user: {
        username,
        email: `${username}@example.com`,
        bio: null,
        image: null,
        token: expect.any(String),
      },
    });
    const rows = await t.db.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE username = $1',
      [username],
    );
    expect(rows.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it.each([
    ['username', { username: '' }, "can't be blank"],
    ['email', { email: '' }, "can't be blank"],
    ['password', { password: '' }, "can't be blank"],
    ['email', { email: 'not-an-email' }, 'is invalid'],
    ['username', { username: 42 }, 'must be a string'],
    ['username', { username: 'x'.repeat(500) }, 'is too long (maximum is 40 characters)'],
    ['password', { password: 'short' }, 'is too short (minimum is 8 characters)'],
  ])('when %s is %j, then 422 naming it', async (field, override, message) => {
    const username = unique('bad');
    const res = await t
      .http()
      .post('/api/users')
      .send({
        user: { username, email: `${username}@example.com`, password: 'password123', ...override },
      })
      .expect(422);
    expect((res.body as { errors: Record<string, string[]> }).errors[field]).toEqual([message]);
  });

  it('when a field is missing, then 422 "can\'t be blank" for it', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .send({ user: { username: unique('m') } })
      .expect(422);
    expect(res.body).toMatchObject({
      errors: { email: ["can't be blank"], password: ["can't be blank"] },
    });
  });

  it('when the envelope is missing, then 422 naming "user"', async () => {
    const res = await t.http().post('/api/users').send({ username: 'x' }).expect(422);
    expect(res.body).toMatchObject({ errors: { user: ["can't be blank"] } });
  });

  it('when the JSON is malformed, then 400 in the error shape, not 500', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send('{"user": ')
      .expect(400);
    expect(res.body).toMatchObject({ errors: { body: ['is not valid JSON'] } });
  });

  it('when the username or the email is taken (any letter case), then 409 "has already been taken"', async () => {
    const first = await registerUser(t);
    const byName = await t
      .http()
      .post('/api/users')
      .send({
        user: {
          username: first.username.toUpperCase(),
          email: `${unique('o')}@example.com`,
          password: 'password123',
        },
      })
      .expect(409);
    expect(byName.body).toMatchObject({ errors: { username: ['has already been taken'] } });
    const byEmail = await t
      .http()
      .post('/api/users')
      .send({
        user: { username: unique('o'), email: first.email.toUpperCase(), password: 'password123' },
      })
      .expect(409);
    expect(byEmail.body).toMatchObject({ errors: { email: ['has already been taken'] } });
  });
});

describe('POST /api/users/login', () => {
  it('when the credentials are right, then 200 with a token that works on GET /api/user', async () => {
    const user = await registerUser(t);
    const res = await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(200);
    const { token } = (res.body as { user: { token: string } }).user;
    expect(res.body).toEqual({
      user: {
        username: user.username,
        email: user.email,
        bio: null,
        image: null,
        token: expect.any(String),
      },
    });
    const me = await t.http().get('/api/user').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ user: { username: user.username } });
  });

  it('when the password is wrong, then 401 {"credentials":["invalid"]}', async () => {
    const user = await registerUser(t);
    const res = await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: 'wrong password' } })
      .expect(401);
    expect(res.body).toMatchObject({ errors: { credentials: ['invalid'] } });
  });

  it('when the email is unknown, then the same 401 (no account enumeration)', async () => {
    const res = await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: 'nobody@example.com', password: 'whatever1' } })
      .expect(401);
    expect(res.body).toMatchObject({ errors: { credentials: ['invalid'] } });
  });

  it.each([
    [{ email: '', password: 'password123' }, 'email'],
    [{ email: 'a@b.co', password: '' }, 'password'],
    [{ email: ['a@b.co'], password: 'password123' }, 'email'],
  ])('when the body is %j, then 422 naming %s', async (user, field) => {
    const res = await t.http().post('/api/users/login').send({ user }).expect(422);
    expect(Object.keys((res.body as { errors: object }).errors)).toEqual([field]);
  });
});

describe('GET /api/user and PUT /api/user', () => {
  it('when no token is sent, then 401 {"token":["is missing"]} on both', async () => {
    const get = await t.http().get('/api/user').expect(401);
    expect(get.body).toMatchObject({ errors: { token: ['is missing'] } });
    const put = await t
      .http()
      .put('/api/user')
      .send({ user: { bio: 'x' } })
      .expect(401);
    expect(put.body).toMatchObject({ errors: { token: ['is missing'] } });
  });

  it('when the token is garbage, then 401 {"token":["is invalid"]}', async () => {
    const res = await t.http().get('/api/user').set('Authorization', 'Token not.a.jwt').expect(401);
    expect(res.body).toMatchObject({ errors: { token: ['is invalid'] } });
  });

  it('when the token is valid, then GET returns the user with a freshly issued, working token', async () => {
    const user = await registerUser(t);
    const res = await t.http().get('/api/user').set(user.auth).expect(200);
    expect(res.body).toEqual({
      user: {
        username: user.username,
        email: user.email,
        bio: null,
        image: null,
        token: expect.any(String),
      },
    });
    const fresh = (res.body as { user: { token: string } }).user.token;
    expect(fresh).not.toBe(user.token);
    await t.http().get('/api/user').set('Authorization', `Token ${fresh}`).expect(200);
  });

  it('when bio and image are set, then cleared with "" and null, then each is null again', async () => {
    const user = await registerUser(t);
    const set = await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { bio: 'I work at statefarm', image: 'https://example.com/a.jpg' } })
      .expect(200);
    expect(set.body).toMatchObject({
      user: { bio: 'I work at statefarm', image: 'https://example.com/a.jpg' },
    });
    const cleared = await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { bio: '', image: null } })
      .expect(200);
    expect(cleared.body).toMatchObject({ user: { bio: null, image: null } });
    const again = await t.http().get('/api/user').set(user.auth).expect(200);
    expect(again.body).toMatchObject({ user: { bio: null, image: null } });
  });

  it('when username and email change, then they persist and the new email logs in', async () => {
    const user = await registerUser(t);
    const username = unique('renamed');
    const email = `${username}@example.com`;
    const res = await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { username, email } })
      .expect(200);
    expect(res.body).toMatchObject({ user: { username, email } });
    await t
      .http()
      .post('/api/users/login')
      .send({ user: { email, password: user.password } })
      .expect(200);
  });

  it('when the password changes (and "" means unchanged), then only the new one logs in', async () => {
    const user = await registerUser(t);
    await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { password: '', bio: 'same password' } })
      .expect(200);
    await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(200);
    await t
      .http()
      .put('/api/user')
      .set(user.auth)
      .send({ user: { password: 'a brand new password' } })
      .expect(200);
    await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(401);
    await t
      .http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password: 'a brand new password' } })
      .expect(200);
  });

  it.each([
    [{ email: '' }, 'email'],
    [{ username: '' }, 'username'],
    [{ email: null }, 'email'],
    [{ username: null }, 'username'],
    [{ image: 'javascript:alert(1)' }, 'image'],
    [{ bio: 'x'.repeat(2_001) }, 'bio'],
    [{}, 'user'],
  ])('when the update is %j, then 422 naming %s', async (patch, field) => {
    const user = await registerUser(t);
    const res = await t.http().put('/api/user').set(user.auth).send({ user: patch }).expect(422);
    expect(Object.keys((res.body as { errors: object }).errors)).toEqual([field]);
  });

  it('when the new username belongs to someone else, then 409', async () => {
    const a = await registerUser(t);
    const b = await registerUser(t);
    const res = await t
      .http()
      .put('/api/user')
      .set(b.auth)
      .send({ user: { username: a.username } })
      .expect(409);
    expect(res.body).toMatchObject({ errors: { username: ['has already been taken'] } });
  });
});
