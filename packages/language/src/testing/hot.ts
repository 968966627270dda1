// A program with a hot function, to profile: how many pairs of articles share an author?
//   node --require tsx/cjs --cpu-prof src/testing/hot.ts slow|fast
// Why it is slow: comparing every article with every other is n² comparisons; a Map is n.

/** Counts pairs of equal ids by comparing every pair: ~n²/2 comparisons. */
export function countSameAuthorPairsSlow(authorIds: readonly number[]): number {
  let pairs = 0;
  for (let i = 0; i < authorIds.length; i++) {
    for (let j = i + 1; j < authorIds.length; j++) {
      if (authorIds[i] === authorIds[j]) pairs++;
    }
  }
  return pairs;
}

/** The same answer from one pass: k articles by one author make k·(k−1)/2 pairs. */
export function countSameAuthorPairsFast(authorIds: readonly number[]): number {
  const perAuthor = new Map<number, number>();
  for (const id of authorIds) perAuthor.set(id, (perAuthor.get(id) ?? 0) + 1);
  let pairs = 0;
  for (const k of perAuthor.values()) pairs += (k * (k - 1)) / 2;
  return pairs;
}

/** `n` articles by n/3 authors: every author wrote three. */
export function makeAuthorIds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i % Math.max(1, Math.floor(n / 3)));
}

if (require.main === module) {
  const mode = process.argv[2] === 'fast' ? 'fast' : 'slow';
  const authorIds = makeAuthorIds(Number(process.argv[3] ?? 5_000));
  const count = mode === 'fast' ? countSameAuthorPairsFast : countSameAuthorPairsSlow;
  const started = performance.now();
  // Many calls, as a server would make: each request counts its own page of articles.
  let pairs = 0;
  for (let request = 0; request < 30; request++) pairs = count(authorIds);
  const ms = Math.round(performance.now() - started);
  console.log(JSON.stringify({ mode, articles: authorIds.length, calls: 30, pairs, ms }));
}
