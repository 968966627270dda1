/**
 * kit's rate limit counts per fixed window (`Date.now()` divided by the window's length), so a
 * test whose requests straddle a window's edge sees the count start again and gets a 200
 * where it expects the 429. Call this before such a sequence: it returns at once when at least
 * `needMs` of the current window is left, and otherwise waits for the next window to begin.
 */
export async function awayFromWindowEdge(windowSeconds: number, needMs = 3_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const leftMs = windowMs - (Date.now() % windowMs);
  if (leftMs < needMs) await new Promise((resolve) => setTimeout(resolve, leftMs + 10));
}
