/** Results of a core (探孔) as DOMAIN.md §4.1 names them. */
export const CORE_RESULTS = ['negative', 'cultural_layer', 'tomb', 'feature', 'disturbed'] as const;
export type CoreResult = (typeof CORE_RESULTS)[number];

export const CORE_STATUSES = ['planned', 'cored'] as const;
export type CoreStatus = (typeof CORE_STATUSES)[number];

/**
 * Positive results (DOMAIN.md §4.2): evidence of remains that zoning must avoid or explore. `negative`,
 * `disturbed` and planned (not yet cored) points are not positive.
 */
export const POSITIVE_RESULTS: readonly CoreResult[] = ['cultural_layer', 'tomb', 'feature'];

export function isPositive(result: CoreResult | null | undefined): boolean {
  return result !== null && result !== undefined && POSITIVE_RESULTS.includes(result);
}

/** The words field teams write in their tables (Chinese first), mapped to the stored values. */
const RESULT_WORDS: Record<string, CoreResult> = {
  negative: 'negative', 阴性: 'negative', 无: 'negative', 生土: 'negative',
  cultural_layer: 'cultural_layer', 'cultural layer': 'cultural_layer', 文化层: 'cultural_layer',
  tomb: 'tomb', 墓葬: 'tomb', 墓: 'tomb',
  feature: 'feature', 遗迹: 'feature',
  disturbed: 'disturbed', 扰乱: 'disturbed', 扰土: 'disturbed', 扰乱层: 'disturbed',
};

/**
 * Reads a result value from an imported attribute. Empty means "not cored yet" (null); anything else
 * that is not a known word is `undefined`, so the caller can name the feature that carries it.
 */
export function parseCoreResult(raw: unknown): CoreResult | null | undefined {
  if (raw === null || raw === undefined) return null;
  const s = String(raw).trim();
  if (s === '') return null;
  return RESULT_WORDS[s] ?? RESULT_WORDS[s.toLowerCase()];
}

/** First property present (non-empty) among the given names: imports carry English or Chinese headers. */
export function pickProperty(props: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) {
    const v = props[n];
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '')) return v;
  }
  const lower = new Map(Object.entries(props).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const n of names) {
    const v = lower.get(n.toLowerCase());
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '')) return v;
  }
  return undefined;
}

export const CODE_KEYS = ['code', '编号', '孔号', 'id', 'name'] as const;
export const DEPTH_KEYS = ['depth', 'depth_m', 'depthM', '深度', '孔深'] as const;
export const RESULT_KEYS = ['result', '结果', '性质'] as const;
export const STRATIGRAPHY_KEYS = ['stratigraphy', '地层', '地层描述'] as const;

/**
 * The zone's CGCS2000 3-degree Gauss–Krüger projection without the zone prefix in the easting:
 * zone n has central meridian 3n°E, EPSG 4534 (zone 25) … 4554 (zone 45). Shanxi: 111°E → 4546, 114°E → 4547.
 */
export function gaussKrugerSrid(lon: number): number {
  const zone = Math.round(lon / 3);
  if (zone < 25 || zone > 45) throw new RangeError(`longitude ${lon} is outside the CGCS2000 3-degree zones 25–45`);
  return 4534 + (zone - 25);
}
