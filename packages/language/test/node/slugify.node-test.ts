// The same tests as test/slugify.test.ts, on Node's built-in runner: node:test + node:assert.
// Run: node --require tsx/cjs --test packages/language/test/node/slugify.node-test.ts
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test's describe and it return promises that the runner itself awaits */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify } from '../../src/testing/slugify';

describe('slugify (node:test)', () => {
  it('when a title has spaces and punctuation, then they become single dashes', () => {
    assert.equal(slugify('How to Train Your Dragon!'), 'how-to-train-your-dragon');
  });

  it('when a title has accents, then they fold to plain letters', () => {
    assert.equal(slugify('Crème Brûlée à la carte'), 'creme-brulee-a-la-carte');
  });

  it('when a title is long, then the slug is cut and never ends in a dash', () => {
    const slug = slugify('word '.repeat(30), 12);
    assert.equal(slug, 'word-word-wo');
    assert.ok(slug.length <= 12);
    assert.equal(slugify('abc def', 4), 'abc');
  });

  it('when a title has no letters or digits, then the slug is empty', () => {
    assert.equal(slugify('!!! ???'), '');
  });
});
