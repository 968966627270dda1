import { createEvent, newTraceparent, parseEvent, TRACEPARENT, EVENT_TYPES, catalog } from '../src';

const published = () =>
  createEvent({
    type: 'article.published',
    aggregateId: 'article:1',
    traceparent: newTraceparent(),
    data: { articleId: 1, slug: 'hello', title: 'Hello', authorId: 2, authorUsername: 'bob' },
  });

describe('event contracts', () => {
  test('when an event is created, then it carries a full envelope at the latest version', () => {
    const event = published();
    expect(event).toMatchObject({
      type: 'article.published',
      version: 1,
      aggregateId: 'article:1',
      data: { articleId: 1, slug: 'hello' },
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.traceparent).toMatch(TRACEPARENT);
    expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
  });

  test('when the catalog is read, then it lists the Conduit events', () => {
    expect([...EVENT_TYPES].sort()).toEqual([
      'article.deleted',
      'article.favorited',
      'article.published',
      'article.updated',
      'comment.added',
      'user.followed',
      'user.unfollowed',
    ]);
    for (const type of EVENT_TYPES) expect(Object.keys(catalog[type])).toContain('1');
  });

  test('when no aggregate id is given, then comments join their article and follows their follower', () => {
    const comment = createEvent({
      type: 'comment.added',
      data: {
        commentId: 9,
        articleId: 4,
        articleSlug: 'four',
        articleAuthorId: 1,
        authorId: 2,
        authorUsername: 'bob',
        excerpt: 'hi',
      },
    });
    const unfollow = createEvent({
      type: 'user.unfollowed',
      data: { followerId: 2, followeeId: 1 },
    });
    expect(comment.aggregateId).toBe('article:4');
    expect(unfollow.aggregateId).toBe('user:2');
  });

  test('when a producer passes invalid data, then createEvent throws before anything ships', () => {
    expect(() =>
      createEvent({
        type: 'user.followed',
        aggregateId: 'user:1',
        data: { followerId: -1, followerUsername: 'a', followeeId: 2 },
      }),
    ).toThrow(/followerId/);
  });

  test('when a valid message is parsed, then the typed event comes back', () => {
    const event = published();
    const result = parseEvent(Buffer.from(JSON.stringify(event)));
    expect(result).toEqual({ ok: true, event });
  });

  test('when a message has a version the consumer does not know, then it is rejected as unknown_version', () => {
    const result = parseEvent(JSON.stringify({ ...published(), version: 2 }));
    expect(result).toMatchObject({ ok: false, reason: 'unknown_version' });
    expect(!result.ok && result.detail).toContain('article.published version 2');
  });

  test.each([
    ['not JSON', '{oops', 'malformed'],
    ['no envelope', JSON.stringify({ hello: 1 }), 'malformed'],
    [
      'an unknown type',
      JSON.stringify({ ...published(), type: 'article.exploded' }),
      'unknown_type',
    ],
    [
      'data that breaks the schema',
      JSON.stringify({ ...published(), data: { articleId: 'x' } }),
      'invalid_data',
    ],
    [
      'a broken traceparent',
      JSON.stringify({ ...published(), traceparent: '00-zz-11-01' }),
      'malformed',
    ],
  ])('when a message is %s, then it is rejected with a reason', (_label, body, reason) => {
    const result = parseEvent(body);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.detail.length).toBeGreaterThan(0);
  });
});
