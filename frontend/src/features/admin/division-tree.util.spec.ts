import { describe, expect, it } from 'vitest';
import { buildDivisionTree } from './division-tree.util';

describe('buildDivisionTree', () => {
  it('nests counties under cities under the province, sorted by code', () => {
    const sut = buildDivisionTree([
      { code: '140405', name: '屯留区', nameEn: null, parentCode: '140400', level: 'county' },
      { code: '140400', name: '长治市', nameEn: null, parentCode: '140000', level: 'city' },
      { code: '140000', name: '山西省', nameEn: null, parentCode: null, level: 'province' },
      { code: '140500', name: '晋城市', nameEn: null, parentCode: '140000', level: 'city' },
    ]);
    expect(sut.map((n) => n.code)).toEqual(['140000']);
    expect(sut[0]!.children!.map((n) => n.code)).toEqual(['140400', '140500']);
    expect(sut[0]!.children![0]!.children!.map((n) => n.name)).toEqual(['屯留区']);
    expect(sut[0]!.children![1]!.children).toBeUndefined(); // leaves have no expander
  });

  it('keeps a division whose parent is missing as a root instead of dropping it', () => {
    const sut = buildDivisionTree([{ code: '140405', name: '屯留区', nameEn: null, parentCode: '140400', level: 'county' }]);
    expect(sut.map((n) => n.code)).toEqual(['140405']);
  });
});
