import { translate } from '../../infra/i18n/messages';
import { Language } from '../../infra/i18n/language';
import { registerMessages } from '../../infra/i18n/messages';
import { GeoJsonGeometry } from '../spatial/geojson';

export const PROBLEM_CODES = [
  'invalid_geometry', 'outside_boundary', 'overlap', 'gap', 'sliver', 'positive_core_in_release', 'relic_not_avoided',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];
export type Severity = 'error' | 'warning';

/** One finding as the SQL produces it; `subject` pins it when areaIds alone are not unique (a relic, a gap). */
export interface RawProblem {
  code: ProblemCode;
  severity: Severity;
  areaIds: string[];
  location: GeoJsonGeometry;
  subject: string | null;
  params: Record<string, unknown>;
}

export interface ZoningProblem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  areaIds: string[];
  location: GeoJsonGeometry;
  /** stable key a justification is filed under (see problemKey) */
  key: string;
}

registerMessages({
  'zoning.problem.invalid_geometry': { 'zh-CN': '图形无效：{reason}', en: 'Invalid polygon: {reason}' },
  'zoning.problem.outside_boundary': { 'zh-CN': '分区有 {m2} 平方米超出开发区边界', en: '{m2} m² of the area lies outside the zone boundary' },
  'zoning.problem.overlap': { 'zh-CN': '两个分区重叠 {m2} 平方米', en: 'Two areas overlap by {m2} m²' },
  'zoning.problem.gap': { 'zh-CN': '开发区内有 {m2} 平方米未划入任何分区', en: '{m2} m² of the zone lies in no area' },
  'zoning.problem.sliver_gap': { 'zh-CN': '开发区内有 {m2} 平方米的细碎空隙未划入任何分区', en: 'A sliver gap of {m2} m² lies in no area' },
  'zoning.problem.sliver_area': {
    'zh-CN': '分区过小或过窄（面积 {m2} 平方米，平均宽度约 {widthM} 米）',
    en: 'The area is too small or too thin ({m2} m², about {widthM} m wide)',
  },
  'zoning.problem.positive_core_in_release': {
    'zh-CN': '释放区内有阳性探孔（{result}）',
    en: 'A positive core ({result}) lies inside a release area',
  },
  'zoning.problem.relic_in_release': { 'zh-CN': '不可移动文物“{name}”位于释放区内', en: 'The immovable relic "{name}" lies in a release area' },
  'zoning.problem.relic_range_not_avoided': {
    'zh-CN': '不可移动文物“{name}”的保护范围有 {m2} 平方米未划入避让区',
    en: '{m2} m² of the protection range of the relic "{name}" is not inside an avoidance area',
  },
});

const CORE_RESULT_LABEL: Record<string, { 'zh-CN': string; en: string }> = {
  cultural_layer: { 'zh-CN': '文化层', en: 'cultural layer' },
  tomb: { 'zh-CN': '墓葬', en: 'tomb' },
  feature: { 'zh-CN': '遗迹', en: 'feature' },
};

/**
 * The key a warning's justification is filed under: `<code>:<areaIds sorted, comma-joined>` and, when the
 * finding is about something else than the areas (a relic, a gap), `@<subject>` — e.g.
 * `relic_not_avoided:@relic:<uuid>` or `sliver:@gap:112.901234,36.301234`. Keys are stable across
 * validation runs as long as the drawing does not change there.
 */
export function problemKey(p: Pick<RawProblem, 'code' | 'areaIds' | 'subject'>): string {
  const ids = [...p.areaIds].sort().join(',');
  return `${p.code}:${ids}${p.subject ? `@${p.subject}` : ''}`;
}

export function messageKeyOf(p: RawProblem): string {
  switch (p.code) {
    case 'sliver':
      return p.areaIds.length ? 'zoning.problem.sliver_area' : 'zoning.problem.sliver_gap';
    case 'relic_not_avoided':
      return p.severity === 'error' ? 'zoning.problem.relic_in_release' : 'zoning.problem.relic_range_not_avoided';
    default:
      return `zoning.problem.${p.code}`;
  }
}

export function presentProblems(raw: RawProblem[], lang: Language): ZoningProblem[] {
  const order: Record<Severity, number> = { error: 0, warning: 1 };
  return raw
    .map((p) => {
      const params = { ...p.params };
      if (p.code === 'positive_core_in_release' && typeof params.result === 'string') {
        params.result = CORE_RESULT_LABEL[params.result]?.[lang] ?? params.result;
      }
      return { code: p.code, severity: p.severity, message: translate(messageKeyOf(p), lang, params), areaIds: p.areaIds, location: p.location, key: problemKey(p) };
    })
    .sort((a, b) => order[a.severity] - order[b.severity] || PROBLEM_CODES.indexOf(a.code) - PROBLEM_CODES.indexOf(b.code) || a.key.localeCompare(b.key));
}

/** Keys of warnings that have no (non-blank) justification. */
export function missingJustifications(problems: ZoningProblem[], justifications: Record<string, string>): string[] {
  return problems.filter((p) => p.severity === 'warning' && !(justifications[p.key] ?? '').trim()).map((p) => p.key);
}
