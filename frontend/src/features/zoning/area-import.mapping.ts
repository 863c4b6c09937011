import type { Feature } from 'geojson';
import { ZONING_CATEGORIES, type ZoningCategory } from './zoning.api';

/**
 * How the rows of an imported file become areas (the `zoning-areas` import target's options): one category for
 * all, or the category read from an attribute whose values are mapped to the three categories. The server
 * applies the same built-in names when a value is not mapped (backend zoning-import.ts).
 */
export type CategorySource = { mode: 'fixed'; category: ZoningCategory } | { mode: 'field'; field: string; map: Record<string, ZoningCategory | undefined> };

export interface AreaImportChoice {
  source: CategorySource;
  rationaleField: string | null;
  labelField: string | null;
}

const CATEGORY_KEYS = ['category', 'CATEGORY', 'Category', '类别', '分区类别', '分区', '分区类型', 'type', 'TYPE'];
const RATIONALE_KEYS = ['rationale', 'RATIONALE', '划定依据', '依据', '说明', '备注'];
const LABEL_KEYS = ['label', 'LABEL', 'name', 'NAME', '名称', '分区名称'];

const BUILT_IN: Record<string, ZoningCategory> = {
  avoidance: 'avoidance', avoid: 'avoidance', 避让区: 'avoidance', 避让: 'avoidance', 保护避让区: 'avoidance',
  exploration: 'exploration', explore: 'exploration', 勘探区: 'exploration', 勘探: 'exploration', 考古勘探区: 'exploration',
  release: 'release', released: 'release', 释放区: 'release', 释放: 'release', 可释放区: 'release',
};

export function guessCategory(value: string): ZoningCategory | undefined {
  return BUILT_IN[value.toLowerCase().replace(/\s+/g, '')];
}

const valueText = (v: unknown): string | null => (v === undefined || v === null || String(v).trim() === '' ? null : String(v).trim());

/** Attribute names present in the features, in first-seen order (the preview's own `index` left out). */
export function attributesOf(features: readonly Feature[]): string[] {
  const names: string[] = [];
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) if (k !== 'index' && !names.includes(k)) names.push(k);
  return names;
}

/** The distinct values of one attribute; an empty cell counts as '' (it cannot be mapped). */
export function valuesOf(features: readonly Feature[], field: string): string[] {
  const values = new Set<string>();
  for (const f of features) values.add(valueText(f.properties?.[field]) ?? '');
  return [...values].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** A first choice from what the file holds: the usual attribute names, and the usual category words. */
export function initialChoice(features: readonly Feature[]): AreaImportChoice {
  const attrs = attributesOf(features);
  const find = (keys: string[]) => keys.find((k) => attrs.includes(k)) ?? null;
  const field = find(CATEGORY_KEYS);
  return {
    source: field ? { mode: 'field', field, map: guessedMap(features, field) } : { mode: 'fixed', category: 'exploration' },
    rationaleField: find(RATIONALE_KEYS),
    labelField: find(LABEL_KEYS),
  };
}

export function guessedMap(features: readonly Feature[], field: string): Record<string, ZoningCategory | undefined> {
  return Object.fromEntries(valuesOf(features, field).map((v) => [v, guessCategory(v)]));
}

/** Values of the chosen attribute (among the given features) still without a category; empty when complete. */
export function unmappedValues(choice: AreaImportChoice, features: readonly Feature[]): string[] {
  if (choice.source.mode === 'fixed') return [];
  const { field, map } = choice.source;
  return valuesOf(features, field).filter((v) => !map[v]);
}

/** The commit options for the `zoning-areas` target. */
export function importOptions(choice: AreaImportChoice, plan: { id: string; rowVersion: number }): Record<string, unknown> {
  const source =
    choice.source.mode === 'fixed'
      ? { category: choice.source.category }
      : {
          categoryField: choice.source.field,
          categoryMap: Object.fromEntries(
            Object.entries(choice.source.map).filter((e): e is [string, ZoningCategory] => Boolean(e[1]) && ZONING_CATEGORIES.includes(e[1]!)),
          ),
        };
  return {
    planId: plan.id,
    rowVersion: plan.rowVersion,
    ...source,
    ...(choice.rationaleField ? { rationaleField: choice.rationaleField } : {}),
    ...(choice.labelField ? { labelField: choice.labelField } : {}),
  };
}
