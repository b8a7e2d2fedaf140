import { normaliseText } from './keyword-classifier.js';

/** A grid of the district as the place extractor knows it. */
export interface PlaceGrid {
  code: string;
  name: string;
  township: string;
  community: string;
  lng: number;
  lat: number;
}

export interface ExtractedPlace {
  gridCode: string;
  gridName: string;
  township: string;
  community: string | null;
  lng: number;
  lat: number;
  /** what in the text named it */
  matched: string;
  level: 'grid' | 'landmark' | 'community' | 'township';
  /** 0–1: a named grid or landmark places the report; a community or township only roughly */
  confidence: number;
}

interface Name {
  text: string;
  level: ExtractedPlace['level'];
  grid: PlaceGrid;
  community: string | null;
  confidence: number;
}

/**
 * Reads where a report happened from its text when it came without coordinates: the names of the
 * district's grids (「文昌社区第3网格」), the landmarks of its 专属 grids (「红星农贸市场」, 「第一中学」),
 * communities and villages (→ their first grid) and townships (→ their first grid, low confidence).
 * The most specific name found wins; a community named in two townships is settled by the township
 * also named, else it is less sure.
 */
export class PlaceExtractor {
  private readonly names: Name[] = [];

  constructor(grids: readonly PlaceGrid[]) {
    const first = new Map<string, PlaceGrid>();
    for (const g of [...grids].sort((a, b) => a.code.localeCompare(b.code))) {
      for (const key of [`c:${g.township}${g.community}`, `t:${g.township}`]) if (!first.has(key)) first.set(key, g);
      const n = normaliseText(g.name);
      const numbered = /第(\d+)网格$/.exec(n);
      if (numbered) this.names.push({ text: `${g.community}第${numbered[1]}网格`, level: 'grid', grid: g, community: g.community, confidence: 0.9 });
      const landmark = n
        .replace(g.township, '')
        .replace(g.community, '')
        .replace(/专属网格$/, '');
      if (/专属网格$/.test(n) && landmark.length >= 2) {
        for (const alias of new Set([landmark, landmark.replace(/^沾益区/, ''), landmark.replace(/^(白水镇|盘江镇|炎方乡|大坡乡|德泽乡)/, '')])) {
          if (alias.length >= 3) this.names.push({ text: alias, level: 'landmark', grid: g, community: g.community, confidence: 0.8 });
        }
      }
    }
    const communityCount = new Map<string, number>();
    for (const [key] of first)
      if (key.startsWith('c:')) communityCount.set(first.get(key)!.community, (communityCount.get(first.get(key)!.community) ?? 0) + 1);
    for (const [key, g] of first) {
      if (key.startsWith('c:'))
        this.names.push({
          text: g.community,
          level: 'community',
          grid: g,
          community: g.community,
          confidence: communityCount.get(g.community)! > 1 ? 0.4 : 0.6,
        });
      else this.names.push({ text: g.township, level: 'township', grid: g, community: null, confidence: 0.3 });
    }
    const rank = { grid: 0, landmark: 1, community: 2, township: 3 };
    this.names.sort((a, b) => rank[a.level] - rank[b.level] || b.text.length - a.text.length);
  }

  extract(rawText: string): ExtractedPlace | null {
    const text = normaliseText(rawText ?? '');
    const township = this.names.find((n) => n.level === 'township' && text.includes(n.text));
    const hits = this.names.filter((n) => n.level !== 'township' && text.includes(n.text));
    const best = hits.find((n) => !township || n.grid.township === township.grid.township) ?? hits[0] ?? township;
    if (!best) return null;
    const agrees = township && best !== township && best.grid.township === township.grid.township;
    return {
      gridCode: best.grid.code,
      gridName: best.grid.name,
      township: best.grid.township,
      community: best.community,
      lng: best.grid.lng,
      lat: best.grid.lat,
      matched: best.text,
      level: best.level,
      confidence: Math.min(0.95, Math.round((best.confidence + (agrees ? 0.1 : 0)) * 100) / 100),
    };
  }
}
