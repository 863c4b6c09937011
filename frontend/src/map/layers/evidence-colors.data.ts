/**
 * Colours of the field-evidence layers as plain data (no OpenLayers), so the legend, the styles and the
 * browser journeys all read the same values.
 */
export const CORE_RESULTS = ['negative', 'cultural_layer', 'tomb', 'feature', 'disturbed'] as const;
export type CoreResult = (typeof CORE_RESULTS)[number];

/** A cored point by result; a planned (not yet cored) point is drawn hollow in PLANNED_CORE_COLOR. */
export const CORE_RESULT_COLORS: Record<CoreResult, string> = {
  negative: '#9e9e9e', // grey: nothing found
  cultural_layer: '#f2a900', // amber: a cultural layer
  tomb: '#d32f2f', // red: a tomb
  feature: '#8e24aa', // purple: a feature (pit, kiln, wall …)
  disturbed: '#8d5524', // brown: disturbed ground
};

export const PLANNED_CORE_COLOR = '#37474f';
export const UNKNOWN_RESULT_COLOR = '#607d8b';

export const OBSERVATION_KIND_COLORS: Record<string, string> = {
  surface_scatter: '#ef6c00',
  section_exposure: '#00838f',
  relic_check: '#6a1b9a',
};

export const TRACK_COLOR = '#1565c0';
export const RELIC_COLOR = '#b71c1c';

export function isCoreResult(value: unknown): value is CoreResult {
  return typeof value === 'string' && (CORE_RESULTS as readonly string[]).includes(value);
}

/** What a core looks like: filled in its result colour once cored, hollow while only planned. */
export function coreAppearance(status: unknown, result: unknown): { color: string; hollow: boolean } {
  if (status !== 'cored' || result === null || result === undefined) return { color: PLANNED_CORE_COLOR, hollow: true };
  return { color: isCoreResult(result) ? CORE_RESULT_COLORS[result] : UNKNOWN_RESULT_COLOR, hollow: false };
}
