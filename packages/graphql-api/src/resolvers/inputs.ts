import {
  listArticlesSchema,
  loginUserSchema,
  newArticleSchema,
  newCommentSchema,
  newUserSchema,
  parseOrThrow,
  updateArticleSchema,
  updateUserSchema,
} from '@roadmap/conduit';

/**
 * GraphQL has already checked the types; conduit's zod schemas (the REST API's) add the rules
 * a type cannot say — lengths, formats, NFC — with the same messages. A failure is
 * BAD_USER_INPUT naming the field.
 */

/** `null` in an optional input field means "not given" (except where null has a meaning). */
function withoutNulls(input: object, keep: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => value !== null || keep.includes(key)),
  );
}

const filterSchema = listArticlesSchema.pick({ tag: true, author: true, favorited: true });

export const parse = {
  filter: (input: object | null | undefined) =>
    parseOrThrow(filterSchema, withoutNulls(input ?? {})),
  register: (input: object) => parseOrThrow(newUserSchema, { ...input }),
  login: (input: object) => parseOrThrow(loginUserSchema, { ...input }),
  // `bio: null` and `image: null` clear the field, as in the REST API.
  updateUser: (input: object) =>
    parseOrThrow(updateUserSchema, withoutNulls(input, ['bio', 'image'])),
  newArticle: (input: object) => parseOrThrow(newArticleSchema, withoutNulls(input)),
  updateArticle: (input: object) => parseOrThrow(updateArticleSchema, withoutNulls(input)),
  comment: (body: string) => parseOrThrow(newCommentSchema, { body }),
};
