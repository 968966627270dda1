export interface Article {
  slug: string;
  title: string;
  tagList: string[];
}

/**
 * A user-defined type guard: a boolean check the compiler trusts as "value is Article". The
 * checks must really prove it — the compiler cannot verify a guard's body.
 */
export function isArticle(value: unknown): value is Article {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.slug === 'string' &&
    typeof v.title === 'string' &&
    Array.isArray(v.tagList) &&
    v.tagList.every((tag) => typeof tag === 'string')
  );
}

/** `unknown`: anything may be in there, so nothing may be done with it until it is narrowed. */
export function titleOf(json: string): string {
  const data: unknown = JSON.parse(json);
  if (isArticle(data)) return data.title;
  if (typeof data === 'string') return `(a string: ${data})`;
  return '(not an article)';
}

/**
 * `any` switches the checker off: this compiles, and fails at run time on any input that is not
 * shaped as hoped. JSON.parse returns `any`, which is why `titleOf` annotates it as `unknown`.
 */
export function titleOfAny(json: string): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- the lesson shows the hazard
  const data: any = JSON.parse(json);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- same
  return data.title.trim();
}
