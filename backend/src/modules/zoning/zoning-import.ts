import words from '../../../../shared/zoning-import-words.json';
import { ZONING_CATEGORIES, ZoningCategory } from './zoning-plan.transitions';

/**
 * Rows of an imported file → draft areas: which attribute holds the category (or one category for all), how
 * its values map to categories, and where rationale and label come from. Pure, so it is tested without Nest.
 */
export interface ZoningImportOptions {
  planId: string;
  /** the plan's row revision the user saw (its ETag without quotes): a plan changed since is refused with 412 */
  rowVersion?: number;
  /** one category for every feature (the file has no category attribute) */
  category?: ZoningCategory;
  /** the attribute holding the category; by default the first of CATEGORY_KEYS present */
  categoryField?: string;
  /** attribute value → category, for values other than the built-in names (e.g. { "1": "avoidance" }) */
  categoryMap?: Record<string, ZoningCategory>;
  rationaleField?: string;
  labelField?: string;
}

export const CATEGORY_KEYS = words.categoryKeys;
const RATIONALE_KEYS = words.rationaleKeys;
const LABEL_KEYS = words.labelKeys;

/** Names people write for the three categories (shared with the import dialog), compared lower-cased and without spaces. */
const BUILT_IN: Record<string, ZoningCategory> = Object.fromEntries(
  ZONING_CATEGORIES.flatMap((c) => words.categoryWords[c].map((w) => [w.toLowerCase().replace(/\s+/g, ''), c])),
);

export interface ResolvedArea {
  index: number;
  category: ZoningCategory;
  rationale: string | null;
  label: string | null;
}

export interface UnresolvedCategory {
  index: number;
  value: string | null;
}

const text = (v: unknown): string | null => (v === undefined || v === null || String(v).trim() === '' ? null : String(v).trim());

function pick(props: Record<string, unknown>, field: string | undefined, keys: string[]): string | null {
  if (field) return text(props[field]);
  for (const k of keys) {
    const v = text(props[k]);
    if (v !== null) return v;
  }
  return null;
}

export function categoryOf(value: string | null, map: Record<string, ZoningCategory> | undefined): ZoningCategory | null {
  if (value === null) return null;
  if (map && value in map) return map[value]!;
  return BUILT_IN[value.toLowerCase().replace(/\s+/g, '')] ?? null;
}

export function isZoningCategory(v: unknown): v is ZoningCategory {
  return typeof v === 'string' && (ZONING_CATEGORIES as readonly string[]).includes(v);
}

/** Each feature's category, rationale and label; features whose category cannot be told are listed apart. */
export function resolveImportedAreas(
  features: Array<{ index: number; properties: Record<string, unknown> }>,
  options: Omit<ZoningImportOptions, 'planId' | 'rowVersion'>,
): { areas: ResolvedArea[]; unresolved: UnresolvedCategory[] } {
  const areas: ResolvedArea[] = [];
  const unresolved: UnresolvedCategory[] = [];
  for (const f of features) {
    const value = options.category ? null : pick(f.properties, options.categoryField, CATEGORY_KEYS);
    const category = options.category ?? categoryOf(value, options.categoryMap);
    if (!category) {
      unresolved.push({ index: f.index, value });
      continue;
    }
    areas.push({
      index: f.index,
      category,
      rationale: pick(f.properties, options.rationaleField, RATIONALE_KEYS),
      label: pick(f.properties, options.labelField, LABEL_KEYS)?.slice(0, 100) ?? null,
    });
  }
  return { areas, unresolved };
}
