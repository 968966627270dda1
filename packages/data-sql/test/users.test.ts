import {
  bumpTokenGeneration,
  countUsersWithRole,
  findTokenGeneration,
  findUserByEmail,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsers,
  setUserRole,
  updateUser,
} from '../src';
import { useMigratedDatabase, makeUser, rejection, unique } from './support/database';

const db = useMigratedDatabase('users');

describe('insertUser', () => {
  test('when a user is inserted, then the stored row comes back with defaults', async () => {
    const name = unique('jake');
    const user = await insertUser(db.pool, {
      email: `${name}@example.com`,
      username: name,
      passwordHash: 'h',
    });
    expect(user).toMatchObject({
      email: `${name}@example.com`,
      username: name,
      bio: null,
      image: null,
      role: 'user',
    });
    expect(user.id).toEqual(expect.any(Number));
    expect(user.createdAt).toBeInstanceOf(Date);
    const { rows } = await db.pool.query(
      'SELECT username, password_hash FROM users WHERE id = $1',
      [user.id],
    );
    expect(rows).toEqual([{ username: name, password_hash: 'h' }]);
  });

  test('when the email differs only in letter case, then a 409 names the email field', async () => {
    const user = await makeUser(db.pool);
    const error = await rejection(
      insertUser(db.pool, {
        email: user.email.toUpperCase(),
        username: unique('other'),
        passwordHash: null,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ email: ['has already been taken'] });
  });

  test('when the username differs only in letter case, then a 409 names the username field', async () => {
    const user = await makeUser(db.pool);
    const error = await rejection(
      insertUser(db.pool, {
        email: `${unique('x')}@example.com`,
        username: user.username.toUpperCase(),
        passwordHash: null,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ username: ['has already been taken'] });
  });

  test('when the role is unknown or the bio is empty, then a 422 names the field and no row is written', async () => {
    const name = unique('bad');
    const badRole = await rejection(
      // Why `as never`: the type already forbids it; this proves the database refuses it too.
      insertUser(db.pool, {
        email: `${name}@example.com`,
        username: name,
        passwordHash: null,
        role: 'root' as never,
      }),
    );
    expect(badRole.status).toBe(422);
    expect(badRole.details).toEqual({ role: ['must be one of user, editor, admin'] });
    const emptyBio = await rejection(
      insertUser(db.pool, {
        email: `${name}@example.com`,
        username: name,
        passwordHash: null,
        bio: '',
      }),
    );
    expect(emptyBio.details).toEqual({ bio: ["can't be empty (use null)"] });
    const emptyEmail = await rejection(
      insertUser(db.pool, { email: 'nope', username: name, passwordHash: null }),
    );
    expect(emptyEmail.details).toEqual({ email: ['is invalid'] });
    expect(await findUserByUsername(db.pool, name)).toBeNull();
  });
});

describe('finders', () => {
  test('when looking a user up by id, email or username in any case, then the same user is found', async () => {
    const user = await makeUser(db.pool, 'Finder');
    expect(await findUserById(db.pool, user.id)).toEqual(user);
    expect(await findUserByEmail(db.pool, user.email.toUpperCase())).toEqual(user);
    expect(await findUserByUsername(db.pool, user.username.toLowerCase())).toEqual(user);
  });

  test('when no user matches, then the finders return null', async () => {
    expect(await findUserById(db.pool, 2_000_000_000)).toBeNull();
    expect(await findUserByEmail(db.pool, 'nobody@example.com')).toBeNull();
    expect(await findUserByUsername(db.pool, 'nobody')).toBeNull();
  });
});

describe('updateUser', () => {
  test('when some fields are given, then only those change and updatedAt moves', async () => {
    const user = await makeUser(db.pool, 'upd', { bio: 'old bio' });
    const updated = await updateUser(db.pool, user.id, {
      bio: 'new bio',
      image: 'https://img/x.png',
    });
    expect(updated).toMatchObject({
      email: user.email,
      username: user.username,
      bio: 'new bio',
      image: 'https://img/x.png',
    });
    expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(user.updatedAt.getTime());
  });

  test('when bio is null, then it is cleared; when the patch is empty, then the user is returned unchanged', async () => {
    const user = await makeUser(db.pool, 'clr', { bio: 'something' });
    expect((await updateUser(db.pool, user.id, { bio: null }))!.bio).toBeNull();
    expect(await updateUser(db.pool, user.id, {})).toMatchObject({ id: user.id, bio: null });
  });

  test('when the new email is taken by someone else, then a 409 names email and nothing changes', async () => {
    const a = await makeUser(db.pool);
    const b = await makeUser(db.pool);
    const error = await rejection(updateUser(db.pool, b.id, { email: a.email, bio: 'x' }));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ email: ['has already been taken'] });
    expect(await findUserById(db.pool, b.id)).toMatchObject({ email: b.email, bio: null });
  });

  test('when the user does not exist, then null is returned', async () => {
    expect(await updateUser(db.pool, 2_000_000_000, { bio: 'x' })).toBeNull();
  });
});

describe('roles', () => {
  test('when a role is set, then the user has it and countUsersWithRole counts it', async () => {
    const before = await countUsersWithRole(db.pool, 'editor');
    const user = await makeUser(db.pool);
    expect(await setUserRole(db.pool, user.id, 'editor')).toMatchObject({
      id: user.id,
      role: 'editor',
    });
    expect(await countUsersWithRole(db.pool, 'editor')).toBe(before + 1);
  });

  test('when the user does not exist, then setUserRole returns null; an unknown role is a 422', async () => {
    expect(await setUserRole(db.pool, 2_000_000_000, 'admin')).toBeNull();
    const user = await makeUser(db.pool);
    const error = await rejection(setUserRole(db.pool, user.id, 'owner' as never));
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ role: ['must be one of user, editor, admin'] });
  });
});

describe('listUsers', () => {
  test('when paging with a role filter, then the page and the total match the rows', async () => {
    const admins = [
      await makeUser(db.pool, 'adm', { role: 'admin' }),
      await makeUser(db.pool, 'adm', { role: 'admin' }),
    ];
    const all = await listUsers(db.pool, { role: 'admin', limit: 100 });
    expect(all.usersCount).toBe(await countUsersWithRole(db.pool, 'admin'));
    expect(all.users.map((u) => u.id)).toEqual(expect.arrayContaining(admins.map((u) => u.id)));
    expect(all.users.every((u) => u.role === 'admin')).toBe(true);
    const second = await listUsers(db.pool, { role: 'admin', limit: 1, offset: 1 });
    expect(second.users).toHaveLength(1);
    expect(second.users[0]!.id).toBe(all.users[1]!.id);
    const everyone = await listUsers(db.pool);
    expect(everyone.usersCount).toBeGreaterThanOrEqual(all.usersCount);
    expect(everyone.users.length).toBeLessThanOrEqual(20);
  });
});

describe('token generation (the access tokens a user holds are valid while it is unchanged)', () => {
  test('when a user is new, then its generation is 0; a bump raises it by one and returns it', async () => {
    const user = await makeUser(db.pool);
    expect(user.tokenGeneration).toBe(0);
    expect(await findTokenGeneration(db.pool, user.id)).toBe(0);
    expect(await bumpTokenGeneration(db.pool, user.id)).toBe(1);
    expect(await bumpTokenGeneration(db.pool, user.id)).toBe(2);
    expect((await findUserById(db.pool, user.id))?.tokenGeneration).toBe(2);
  });

  test('when the role really changes, then the generation moves with it in the same statement; setting the same role does not', async () => {
    const user = await makeUser(db.pool);
    expect(await setUserRole(db.pool, user.id, 'editor')).toMatchObject({ tokenGeneration: 1 });
    expect(await setUserRole(db.pool, user.id, 'editor')).toMatchObject({ tokenGeneration: 1 });
  });

  test('when the user does not exist, then both answer null', async () => {
    expect(await findTokenGeneration(db.pool, 2_000_000_000)).toBeNull();
    expect(await bumpTokenGeneration(db.pool, 2_000_000_000)).toBeNull();
  });
});
