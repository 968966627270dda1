import { AppError } from '@roadmap/kit';
import {
  listArticlesSchema,
  newArticleSchema,
  newUserSchema,
  parseOrThrow,
  updateUserSchema,
} from '../src';

function detailsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.details;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('validation messages (the RealWorld wording)', () => {
  it('when a required field is missing, empty or only spaces, then "can\'t be blank" and nothing else', () => {
    expect(detailsOf(() => parseOrThrow(newArticleSchema, { title: '   ', body: '' }))).toEqual({
      title: ["can't be blank"],
      description: ["can't be blank"],
      body: ["can't be blank"],
    });
  });

  it('when a field has the wrong type, then "must be a …"', () => {
    expect(
      detailsOf(() => parseOrThrow(newUserSchema, { username: 1, email: [], password: {} })),
    ).toEqual({
      username: ['must be a string'],
      email: ['must be a string'],
      password: ['must be a string'],
    });
  });

  it('when input is wrapped in an envelope, then skip=1 reports the inner field name', () => {
    const envelope = (schema: typeof newUserSchema) => ({
      parse: (v: unknown) => parseOrThrow(schema, v),
    });
    expect(
      detailsOf(() =>
        envelope(newUserSchema).parse({ username: 'ok', email: 'bad', password: 'password1' }),
      ),
    ).toEqual({
      email: ['is invalid'],
    });
  });

  it('when a string is too long or holds a NUL, then its own message', () => {
    expect(
      detailsOf(() =>
        parseOrThrow(newArticleSchema, {
          title: 'x'.repeat(201),
          description: 'd\u0000',
          body: 'b',
        }),
      ),
    ).toEqual({
      title: ['is too long (maximum is 200 characters)'],
      description: ['must not contain NUL characters'],
    });
  });

  it('when the update is empty, then 422 on "user"-level; "" bio and image become null', () => {
    expect(parseOrThrow(updateUserSchema, { bio: '', image: null })).toEqual({
      bio: null,
      image: null,
    });
    expect(detailsOf(() => parseOrThrow(updateUserSchema, {}))).toEqual({
      body: ['must contain at least one field to change'],
    });
  });

  it('when pagination is absent, then the spec defaults; when out of range, then a bound message', () => {
    expect(parseOrThrow(listArticlesSchema, {})).toEqual({ limit: 20, offset: 0 });
    expect(
      detailsOf(() => parseOrThrow(listArticlesSchema, { limit: '500', offset: 'x' })),
    ).toEqual({
      limit: ['must be less than or equal to 100'],
      offset: ['must be a whole number'],
    });
  });

  it('when tags repeat, then the first occurrence wins and the order is kept', () => {
    expect(
      parseOrThrow(newArticleSchema, {
        title: 't',
        description: 'd',
        body: 'b',
        tagList: ['b', 'a', 'b'],
      }).tagList,
    ).toEqual(['b', 'a']);
  });
});
