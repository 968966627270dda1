import { slugify, slugWithSuffix } from '../src/slug';

describe('slugify', () => {
  it('folds accents, lowercases and turns everything else into single dashes', () => {
    expect(slugify('  Crème Brûlée: How & Why!  ')).toBe('creme-brulee-how-why');
  });

  it('keeps at most 80 characters and never ends on a dash', () => {
    const slug = slugify(`${'a'.repeat(79)} b`);
    expect(slug).toBe('a'.repeat(79));
    expect(slugify('word '.repeat(40)).length).toBeLessThanOrEqual(80);
  });

  it('names a title with nothing sluggable "article"', () => {
    expect(slugify('!!! ???')).toBe('article');
  });

  it('moves a reserved slug aside and leaves others alone', () => {
    const reserved = new Set(['feed']);
    expect(slugify('Feed', reserved)).toBe('feed-article');
    expect(slugify('Feed', new Set())).toBe('feed');
    expect(slugify('Feeding', reserved)).toBe('feeding');
  });
});

describe('slugWithSuffix', () => {
  it('appends six base-36 characters, different each time', () => {
    const a = slugWithSuffix('Same Title');
    const b = slugWithSuffix('Same Title');
    expect(a).toMatch(/^same-title-[0-9a-z]{6}$/);
    expect(a).not.toBe(b);
  });
});
