import { missingJustifications, presentProblems, problemKey, RawProblem } from './zoning-problems';

const pt = { type: 'Point' as const, coordinates: [112.9, 36.3] };

describe('zoning problems', () => {
  it('files justifications under a key that does not depend on the order of area ids', () => {
    expect(problemKey({ code: 'sliver', areaIds: ['b', 'a'], subject: null })).toBe('sliver:a,b');
    expect(problemKey({ code: 'relic_not_avoided', areaIds: [], subject: 'relic:r1' })).toBe('relic_not_avoided:@relic:r1');
  });

  it('translates messages and lists errors before warnings', () => {
    const raw: RawProblem[] = [
      { code: 'sliver', severity: 'warning', areaIds: ['a'], location: pt, subject: null, params: { m2: 3.2, widthM: 0.4 } },
      { code: 'positive_core_in_release', severity: 'error', areaIds: ['b'], location: pt, subject: 'core:c', params: { result: 'tomb' } },
    ];
    const sut = presentProblems(raw, 'zh-CN');
    expect(sut.map((p) => p.code)).toEqual(['positive_core_in_release', 'sliver']);
    expect(sut[0]!.message).toContain('墓葬');
    expect(presentProblems(raw, 'en')[1]!.message).toContain('3.2 m²');
  });

  it('asks for a justification of every warning, and ignores blank ones', () => {
    const problems = presentProblems([
      { code: 'sliver', severity: 'warning', areaIds: ['a'], location: pt, subject: null, params: {} },
      { code: 'overlap', severity: 'error', areaIds: ['a', 'b'], location: pt, subject: null, params: {} },
    ], 'en');
    expect(missingJustifications(problems, {})).toEqual(['sliver:a']);
    expect(missingJustifications(problems, { 'sliver:a': '  ' })).toEqual(['sliver:a']);
    expect(missingJustifications(problems, { 'sliver:a': '道路绿化带，宽度受限' })).toEqual([]);
  });
});
