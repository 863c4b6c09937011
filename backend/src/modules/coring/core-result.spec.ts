import { gaussKrugerSrid, isPositive, parseCoreResult, pickProperty } from './core-result';

describe('core results', () => {
  it('reads the Chinese words field teams write, and the English values', () => {
    expect(parseCoreResult('阴性')).toBe('negative');
    expect(parseCoreResult('文化层')).toBe('cultural_layer');
    expect(parseCoreResult(' 墓葬 ')).toBe('tomb');
    expect(parseCoreResult('遗迹')).toBe('feature');
    expect(parseCoreResult('扰乱')).toBe('disturbed');
    expect(parseCoreResult('Cultural_Layer')).toBe('cultural_layer');
    expect(parseCoreResult('')).toBeNull();
    expect(parseCoreResult(undefined)).toBeNull();
    expect(parseCoreResult('maybe')).toBeUndefined();
  });

  it('counts only cultural layers, tombs and features as positive', () => {
    expect(['cultural_layer', 'tomb', 'feature'].every((r) => isPositive(r as never))).toBe(true);
    expect(isPositive('negative')).toBe(false);
    expect(isPositive('disturbed')).toBe(false);
    expect(isPositive(null)).toBe(false);
  });

  it('picks Chinese or English attribute names, ignoring blanks and case', () => {
    expect(pickProperty({ 编号: 'K1' }, ['code', '编号'])).toBe('K1');
    expect(pickProperty({ code: ' ', 编号: 'K2' }, ['code', '编号'])).toBe('K2');
    expect(pickProperty({ DEPTH: 2.5 }, ['depth'])).toBe(2.5);
  });

  it('chooses the Gauss–Krüger zone without prefix from the longitude', () => {
    expect(gaussKrugerSrid(111.2)).toBe(4546);
    expect(gaussKrugerSrid(112.892)).toBe(4547);
    expect(gaussKrugerSrid(114.4)).toBe(4547);
    expect(() => gaussKrugerSrid(10)).toThrow(RangeError);
  });
});
