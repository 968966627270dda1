/**
 * Content negotiation by hand: pick the best of the types we can produce for an `Accept`
 * header such as `text/html;q=0.9, application/json, *\/*;q=0.1`.
 *
 * Rules (RFC 9110 §12.5.1): each media range has a quality `q` from 0 to 1 (default 1);
 * `q=0` means "not acceptable"; for a given offer the most specific matching range decides
 * its quality (`text/plain` beats `text/*` beats `*\/*`). Ties go to the server's order.
 */
interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const [type, subtype] = range.toLowerCase().split('/');
    if (!type || !subtype) continue; // Why: ignore junk instead of failing the whole header.
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key === 'q' && value !== undefined) {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 1;
      }
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** Returns the chosen offer, or `null` when none is acceptable (→ 406). */
export function negotiate<T extends string>(
  acceptHeader: string | undefined,
  offers: readonly T[],
): T | null {
  // No Accept header means "anything": RFC 9110 says treat it as */*.
  const ranges = parseAccept(acceptHeader?.trim() ? acceptHeader : '*/*');
  let best: { offer: T; q: number } | null = null;
  for (const offer of offers) {
    const q = qualityOf(offer, ranges);
    if (q > 0 && (best === null || q > best.q)) best = { offer, q };
  }
  return best?.offer ?? null;
}

function qualityOf(offer: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = offer.split('/');
  let specificity = -1;
  let q = 0;
  for (const range of ranges) {
    const score =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (score > specificity) {
      specificity = score;
      q = range.q;
    }
  }
  return q;
}
