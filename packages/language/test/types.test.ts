import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { favoriteKey, toArticleId, toUserId } from '../src/types/brand';
import { checkExpectedErrors } from '../src/types/compile-check';
import { assertNever, describeEvent } from '../src/types/events';
import { groupBy } from '../src/types/generics';
import { isArticle, titleOf, titleOfAny } from '../src/types/narrowing';
import { parseArticleInput } from '../src/types/schema';
import { expectErrorsConfig, expectErrorsFile } from '../src/types/types.lesson';

describe('lesson 6: TypeScript that pays for itself', () => {
  it('when tsc compiles the file of @ts-expect-error lines, then it succeeds: every marked line is still an error', async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', expectErrorsConfig]);
    await expect(run).resolves.toMatchObject({ stdout: '' });
  });

  it('when the directives are removed, then each marked line fails with the error its comment names, and no other line fails', () => {
    const { expectations, unexpected } = checkExpectedErrors(expectErrorsFile, expectErrorsConfig);
    expect(expectations.length).toBeGreaterThanOrEqual(14);
    for (const e of expectations) {
      expect({ line: e.line, codes: e.actual.map((a) => a.code) }).toEqual({
        line: e.line,
        codes: [e.expectedCode],
      });
    }
    expect(unexpected).toEqual([]);
  });

  it('when ids are made from raw strings, then only well-formed ones pass', () => {
    expect(favoriteKey(toUserId('u_1'), toArticleId('a_2'))).toBe('u_1:a_2');
    expect(() => toUserId('a_2')).toThrow('"a_2" is not a user id (u_…)');
    expect(() => toArticleId('')).toThrow(TypeError);
  });

  it('when each event variant is described, then each gets its own sentence, and a value outside the union throws', () => {
    const id = toArticleId('a_1');
    expect(describeEvent({ type: 'published', articleId: id, title: 'T' })).toBe(
      'a_1 published: "T"',
    );
    expect(describeEvent({ type: 'favorited', articleId: id, by: toUserId('u_1') })).toBe(
      'a_1 favorited by u_1',
    );
    expect(describeEvent({ type: 'deleted', articleId: id })).toBe('a_1 deleted');
    // What assertNever is for: data from outside that the types did not foresee.
    expect(() => describeEvent(JSON.parse('{"type":"archived"}') as never)).toThrow(
      'unexpected value: {"type":"archived"}',
    );
    expect(() => assertNever('x' as never)).toThrow('unexpected value: "x"');
  });

  it('when items are grouped, then the groups keep every item under its key', () => {
    expect(groupBy(['ant', 'bee', 'asp'], (word) => word[0]!)).toEqual({
      a: ['ant', 'asp'],
      b: ['bee'],
    });
  });

  it('when JSON is read as unknown and narrowed, then bad shapes are handled; read as any, they crash', () => {
    expect(isArticle({ slug: 's', title: 't', tagList: ['a'] })).toBe(true);
    expect(isArticle({ slug: 's', title: 't', tagList: [1] })).toBe(false);
    expect(isArticle(null)).toBe(false);
    expect(titleOf('{"slug":"s","title":"Dragons","tagList":[]}')).toBe('Dragons');
    expect(titleOf('{"title":42}')).toBe('(not an article)');
    expect(titleOfAny('{"title":" Dragons "}')).toBe('Dragons');
    expect(() => titleOfAny('{"title":42}')).toThrow(TypeError);
    expect(() => titleOfAny('"just text"')).toThrow(TypeError);
  });

  it('when input is parsed with the zod schema, then valid input is typed and trimmed, and invalid input lists every problem', () => {
    expect(parseArticleInput({ title: '  Dragons ', body: 'b' })).toEqual({
      ok: true,
      value: { title: 'Dragons', body: 'b', tagList: [] },
    });
    expect(parseArticleInput({ title: ' ', tagList: ['x', ''] })).toEqual({
      ok: false,
      error: [
        'title: must not be blank',
        'body: Invalid input: expected string, received undefined',
        'tagList.1: Too small: expected string to have >=1 characters',
      ],
    });
    expect(parseArticleInput('nope')).toMatchObject({
      ok: false,
      error: [expect.stringMatching(/^\(root\): /)],
    });
  });
});
