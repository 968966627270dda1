import { findProfile, followUser, unfollowUser } from '../src';
import { useMigratedDatabase, makeUser, rejection } from './support/database';

const db = useMigratedDatabase('profiles');

describe('findProfile', () => {
  test('when viewed anonymously or by a non-follower, then following is false', async () => {
    const jake = await makeUser(db.pool, 'jake', { bio: 'I work at statefarm' });
    const viewer = await makeUser(db.pool);
    const expected = {
      id: jake.id,
      username: jake.username,
      bio: 'I work at statefarm',
      image: null,
      following: false,
    };
    expect(await findProfile(db.pool, jake.username, null)).toEqual(expected);
    expect(await findProfile(db.pool, jake.username.toUpperCase(), viewer.id)).toEqual(expected);
  });

  test('when the username does not exist, then null', async () => {
    expect(await findProfile(db.pool, 'no_such_user', null)).toBeNull();
  });
});

describe('followUser / unfollowUser', () => {
  test('when following twice, then one row exists and the profile says following', async () => {
    const jake = await makeUser(db.pool);
    const jane = await makeUser(db.pool);
    expect(await followUser(db.pool, jane.id, jake.username)).toMatchObject({
      id: jake.id,
      following: true,
    });
    expect(await followUser(db.pool, jane.id, jake.username)).toMatchObject({ following: true });
    const { rows } = await db.pool.query(
      'SELECT follower_id, followee_id FROM follows WHERE followee_id = $1',
      [jake.id],
    );
    expect(rows).toEqual([{ follower_id: jane.id, followee_id: jake.id }]);
    // Following is one-directional.
    expect(await findProfile(db.pool, jane.username, jake.id)).toMatchObject({ following: false });
  });

  test('when unfollowing (twice), then the row is gone and following is false', async () => {
    const jake = await makeUser(db.pool);
    const jane = await makeUser(db.pool);
    await followUser(db.pool, jane.id, jake.username);
    expect(await unfollowUser(db.pool, jane.id, jake.username)).toMatchObject({
      id: jake.id,
      following: false,
    });
    expect(await unfollowUser(db.pool, jane.id, jake.username)).toMatchObject({ following: false });
    const { rowCount } = await db.pool.query('SELECT 1 FROM follows WHERE followee_id = $1', [
      jake.id,
    ]);
    expect(rowCount).toBe(0);
  });

  test('when following yourself, then a 422 names username and no row is written', async () => {
    const jake = await makeUser(db.pool);
    const error = await rejection(followUser(db.pool, jake.id, jake.username));
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ username: ['cannot follow yourself'] });
    const { rowCount } = await db.pool.query('SELECT 1 FROM follows WHERE follower_id = $1', [
      jake.id,
    ]);
    expect(rowCount).toBe(0);
  });

  test('when the followee does not exist, then both return null', async () => {
    const jane = await makeUser(db.pool);
    expect(await followUser(db.pool, jane.id, 'no_such_user')).toBeNull();
    expect(await unfollowUser(db.pool, jane.id, 'no_such_user')).toBeNull();
  });

  test('when the follower does not exist, then a 404 names user', async () => {
    const jake = await makeUser(db.pool);
    const error = await rejection(followUser(db.pool, 2_000_000_000, jake.username));
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ user: ['not found'] });
  });
});
