// The same tests as test/node/slugify.node-test.ts, in jest: `expect` instead of `assert`, and
// jest's globals instead of imports from node:test.
import { slugify } from '../src/testing/slugify';

describe('slugify (jest)', () => {
  it('when a title has spaces and punctuation, then they become single dashes', () => {
    expect(slugify('How to Train Your Dragon!')).toBe('how-to-train-your-dragon');
  });

  it('when a title has accents, then they fold to plain letters', () => {
    expect(slugify('Crème Brûlée à la carte')).toBe('creme-brulee-a-la-carte');
  });

  it('when a title is long, then the slug is cut and never ends in a dash', () => {
    const slug = slugify('word '.repeat(30), 12);
    expect(slug).toBe('word-word-wo');
    expect(slug.length).toBeLessThanOrEqual(12);
    expect(slugify('abc def', 4)).toBe('abc');
  });

  it('when a title has no letters or digits, then the slug is empty', () => {
    expect(slugify('!!! ???')).toBe('');
  });
});
