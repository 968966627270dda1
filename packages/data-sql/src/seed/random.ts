/**
 * A tiny seeded PRNG (mulberry32). Why not Math.random: the seed must produce the same data
 * set on every machine and every run, so lessons and benchmarks are comparable.
 */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    /** Integer in [0, n). */
    int: (n: number) => Math.floor(next() * n),
    /** Integer in [0, n), skewed toward 0: a few popular items, a long tail (like real traffic). */
    skewed: (n: number, power = 2.5) => Math.floor(Math.pow(next(), power) * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

export type Random = ReturnType<typeof createRandom>;
