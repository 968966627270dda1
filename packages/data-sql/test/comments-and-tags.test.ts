import {
  addComment,
  createArticle,
  deleteArticle,
  deleteComment,
  findCommentById,
  followUser,
  listComments,
  listTags,
} from '../src';
import { useMigratedDatabase, makeUser, rejection, unique } from './support/database';

const db = useMigratedDatabase('comments');

const draft = (tagList: string[] = []) => ({
  title: unique('t'),
  description: 'd',
  body: 'b',
  tagList,
});

describe('comments', () => {
  test('when a comment is added, then it comes back with its author and is listed oldest first', async () => {
    const jake = await makeUser(db.pool);
    const jane = await makeUser(db.pool, 'jane', { bio: 'hi' });
    const article = await createArticle(db.pool, jake.id, draft());
    const first = await addComment(db.pool, {
      articleId: article.id,
      authorId: jane.id,
      body: 'First!',
    });
    expect(first).toMatchObject({
      body: 'First!',
      articleId: article.id,
      authorId: jane.id,
      author: { id: jane.id, username: jane.username, bio: 'hi', image: null, following: false },
    });
    const second = await addComment(db.pool, {
      articleId: article.id,
      authorId: jake.id,
      body: 'Second',
    });
    await followUser(db.pool, jake.id, jane.username);
    const thread = await listComments(db.pool, article.id, jake.id);
    expect(thread.map((c) => [c.id, c.body, c.author.following])).toEqual([
      [first.id, 'First!', true],
      [second.id, 'Second', false],
    ]);
    expect((await listComments(db.pool, article.id, null)).every((c) => !c.author.following)).toBe(
      true,
    );
  });

  test('when the article does not exist or the body is empty, then a 404 / 422 and no row', async () => {
    const jake = await makeUser(db.pool);
    const missing = await rejection(
      addComment(db.pool, { articleId: 2_000_000_000, authorId: jake.id, body: 'x' }),
    );
    expect(missing.status).toBe(404);
    expect(missing.details).toEqual({ article: ['not found'] });
    const article = await createArticle(db.pool, jake.id, draft());
    const blank = await rejection(
      addComment(db.pool, { articleId: article.id, authorId: jake.id, body: '' }),
    );
    expect(blank.status).toBe(422);
    expect(blank.details).toEqual({ body: ['is invalid'] });
    expect(await listComments(db.pool, article.id, null)).toEqual([]);
  });

  test('when found by id and deleted, then it is gone and a second delete returns false', async () => {
    const jake = await makeUser(db.pool);
    const article = await createArticle(db.pool, jake.id, draft());
    const comment = await addComment(db.pool, {
      articleId: article.id,
      authorId: jake.id,
      body: 'bye',
    });
    expect(await findCommentById(db.pool, comment.id)).toEqual(comment);
    expect(await deleteComment(db.pool, comment.id)).toBe(true);
    expect(await deleteComment(db.pool, comment.id)).toBe(false);
    expect(await findCommentById(db.pool, comment.id)).toBeNull();
  });
});

describe('listTags', () => {
  test('when tags are used, then each is listed once, alphabetically; orphaned tags are not', async () => {
    const jake = await makeUser(db.pool);
    const [a, b, orphan] = [unique('aaa'), unique('bbb'), unique('zzz')];
    await createArticle(db.pool, jake.id, draft([b, a]));
    await createArticle(db.pool, jake.id, draft([a]));
    const doomed = await createArticle(db.pool, jake.id, draft([orphan]));
    await deleteArticle(db.pool, doomed.id);
    const tags = await listTags(db.pool);
    expect(tags.filter((t) => [a, b, orphan].includes(t))).toEqual([a, b]);
    expect([...tags].sort()).toEqual(tags);
  });
});
