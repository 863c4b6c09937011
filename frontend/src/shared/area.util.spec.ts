import { describe, expect, it } from 'vitest';
import { formatArea, formatMuAndHectares, muToHectares, squareMetresToHectares, squareMetresToMu } from './area.util';

describe('area conversions', () => {
  it('converts square metres to 亩 with 1 亩 = 10000/15 m²', () => {
    expect(squareMetresToMu(10000 / 15)).toBeCloseTo(1, 12);
    expect(squareMetresToMu(10000)).toBeCloseTo(15, 12);
    expect(squareMetresToMu(1_000_000)).toBeCloseTo(1500, 9);
  });

  it('converts square metres and 亩 to hectares', () => {
    expect(squareMetresToHectares(25_000)).toBe(2.5);
    expect(muToHectares(15)).toBe(1);
    expect(muToHectares(squareMetresToMu(123_456))).toBeCloseTo(12.3456, 9);
  });

  it('formats with two decimals and grouping', () => {
    expect(formatArea(1234.567, 'zh-CN')).toBe('1,234.57');
    expect(formatArea(0.5, 'en')).toBe('0.50');
  });

  it('states 亩 first and hectares in brackets, per language', () => {
    expect(formatMuAndHectares(1500, 'zh-CN', { mu: '亩', ha: '公顷' })).toBe('1,500.00 亩（100.00 公顷）');
    expect(formatMuAndHectares(1500, 'en', { mu: 'mu', ha: 'ha' })).toBe('1,500.00 mu (100.00 ha)');
  });
});
