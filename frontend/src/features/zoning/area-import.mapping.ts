import type { Feature } from 'geojson';
import words from '../../../../shared/zoning-import-words.json';
import { ZONING_CATEGORIES, type ZoningCategory } from './zoning.api';

/**
 * How the rows of an imported file become areas (the `zoning-areas` import target's options): one category for
 * all, or the category read from an attribute whose values are mapped to the three categories. The words it
 * guesses from are the server's own (shared/zoning-import-words.json), which it applies when a value is not mapped.
 */
export type CategorySource = { mode: 'fixed'; category: ZoningCategory } | { mode: 'field'; field: string; map: Record<string, ZoningCategory | undefined> };

export interface AreaImportChoice {
  source: CategorySource;
  rationaleField: string | null;
  labelField: string | null;
}

const { categoryKeys: CATEGORY_KEYS, rationaleKeys: RATIONALE_KEYS, labelKeys: LABEL_KEYS } = words;

const BUILT_IN: Record<string, ZoningCategory> = Object.fromEntries(
  ZONING_CATEGORIES.flatMap((c) => words.categoryWords[c].map((w) => [w.toLowerCase().replace(/\s+/g, ''), c])),
);

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
