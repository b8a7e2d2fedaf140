/**
 * Which of the encodings we have the client takes, by its Accept-Encoding (RFC 9110 §12.5.3): the
 * highest q wins, ties go to our order of preference (`offered`, best first); `q=0` refuses one, and
 * `*` stands for every encoding the header does not name. No header, or nothing acceptable: null (identity).
 */
export function pickEncoding(header: string | string[] | undefined, offered: readonly string[]): string | null {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return null;
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  let best: string | null = null;
  let bestQ = 0;
  for (const enc of offered) {
    const value = q.get(enc) ?? q.get('*') ?? 0;
    if (value > bestQ) [best, bestQ] = [enc, value];
  }
  return best;
}
