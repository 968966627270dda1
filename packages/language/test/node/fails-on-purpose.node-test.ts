// A failing node:test file, so the lesson (and its test) can show what a failure looks like.
// It is never part of a test run on its own: jest ignores *.node-test.ts files.
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test's describe and it return promises that the runner itself awaits */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { slugify } from '../../src/testing/slugify';

it('when the expectation is wrong, then node:test reports the difference', () => {
  assert.equal(slugify('Hello World'), 'hello_world');
});
