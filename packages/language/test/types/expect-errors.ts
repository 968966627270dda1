// Compile-time tests for lesson 6. Each `@ts-expect-error` line names the TypeScript error the
// next line must produce. tsc fails if a marked line compiles (the directive is then unused),
// and test/types.test.ts checks that each line fails for the reason named.
/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/switch-exhaustiveness-check -- the marked lines are wrong on purpose */
import { favoriteKey, toArticleId, toUserId, type UserId } from '../../src/types/brand';
import { assertNever, describeEvent, type ArticleEvent } from '../../src/types/events';
import { groupBy, routes, type Result } from '../../src/types/generics';
import { isArticle, type Article } from '../../src/types/narrowing';
import { type ArticleInput } from '../../src/types/schema';

const user = toUserId('u_1');
const article = toArticleId('a_1');
favoriteKey(user, article);

// Branded ids: swapped arguments, and a plain string where an id belongs.
// @ts-expect-error TS2345 an ArticleId is not a UserId
favoriteKey(article, user);
// @ts-expect-error TS2345 a plain string is not a UserId
favoriteKey('u_1', article);

// Discriminated unions: an unknown variant, and a field of another variant.
// @ts-expect-error TS2322 'archived' is not one of the event types
describeEvent({ type: 'archived', articleId: article });
export function byOf(event: ArticleEvent): UserId | undefined {
  if (event.type === 'published') {
    // @ts-expect-error TS2339 a published event has no `by`
    return event.by;
  }
  return event.type === 'favorited' ? event.by : undefined;
}

// Exhaustiveness: a switch that forgets 'deleted' cannot reach assertNever with `never`.
export function forgetsOne(event: ArticleEvent): string {
  switch (event.type) {
    case 'published':
      return event.title;
    case 'favorited':
      return event.by;
    default:
      // @ts-expect-error TS2345 the 'deleted' case is not handled
      return assertNever(event);
  }
}

// unknown must be narrowed before use; a guard narrows it.
const data: unknown = JSON.parse('{"title":"x"}');
// @ts-expect-error TS18046 'data' is of type 'unknown'
export const unsafeTitle: string = data.title;
export const safeTitle: string | undefined = isArticle(data) ? data.title : undefined;

// strict mode: null is not a string, and an index may be out of bounds.
// @ts-expect-error TS2322 null is not a string (strictNullChecks)
export const noTitle: string = null;
const tags = ['dragons'];
// @ts-expect-error TS2322 tags[5] is string | undefined (noUncheckedIndexedAccess)
export const fifth: string = tags[5];

// Generics: the key must be usable as an object key.
const articles: Article[] = [{ slug: 's', title: 't', tagList: ['a'] }];
// @ts-expect-error TS2322 a string[] is not a PropertyKey
groupBy(articles, (a) => a.tagList);
export const bySlug = groupBy(articles, (a) => a.slug);

// Result: the value exists only after checking ok.
declare const result: Result<number>;
// @ts-expect-error TS2339 `value` is not on the failure variant
export const unchecked: number = result.value;
export const checked: number = result.ok ? result.value : 0;

// satisfies keeps the literal types: the method of this route is exactly 'GET'.
// @ts-expect-error TS2367 'GET' and 'DELETE' have no overlap
export const isDelete = routes.listArticles.method === 'DELETE';
// …and still checks the shape against the declared type.
export const badRoutes = {
  // @ts-expect-error TS2322 FETCH is not an HTTP method here
  list: { method: 'FETCH', path: '/api/articles' },
} satisfies Record<string, { method: 'GET' | 'POST'; path: `/api/${string}` }>;

// The type derived from the zod schema: body is required, title is a string.
// @ts-expect-error TS2741 body is missing
export const noBody: ArticleInput = { title: 'x', tagList: [] };
// @ts-expect-error TS2322 a number is not a title
export const numericTitle: ArticleInput = { title: 1, body: 'b', tagList: [] };
