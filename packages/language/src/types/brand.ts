// Branded ids: at run time both are plain strings; to the type checker a UserId and an
// ArticleId are different types, so passing one where the other belongs does not compile.
declare const brand: unique symbol;
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type UserId = Brand<string, 'UserId'>;
export type ArticleId = Brand<string, 'ArticleId'>;

/** The only way to make a UserId: check the raw string once, at the edge. */
export function toUserId(raw: string): UserId {
  if (!/^u_[a-z0-9]+$/.test(raw)) throw new TypeError(`"${raw}" is not a user id (u_…)`);
  return raw as UserId;
}

export function toArticleId(raw: string): ArticleId {
  if (!/^a_[a-z0-9]+$/.test(raw)) throw new TypeError(`"${raw}" is not an article id (a_…)`);
  return raw as ArticleId;
}

/** Argument order mistakes between two string ids are a classic bug; brands catch them. */
export function favoriteKey(user: UserId, article: ArticleId): string {
  return `${user}:${article}`;
}
