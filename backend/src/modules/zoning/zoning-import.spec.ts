import { categoryOf, resolveImportedAreas } from './zoning-import';

describe('resolveImportedAreas', () => {
  const rows = (...props: Array<Record<string, unknown>>) => props.map((properties, index) => ({ index, properties }));

  it('reads the category from the usual attribute names, in Chinese or English, and rationale and label beside it', () => {
    const sut = resolveImportedAreas(
      rows({ 类别: '避让区', 依据: '墓葬', 名称: '一区' }, { category: 'Exploration ' }, { 分区类别: '释放' }, { CATEGORY: 'avoidance', name: 'x'.repeat(150) }),
      {},
    );
    expect(sut.unresolved).toEqual([]);
    expect(sut.areas).toEqual([
      { index: 0, category: 'avoidance', rationale: '墓葬', label: '一区' },
      { index: 1, category: 'exploration', rationale: null, label: null },
      { index: 2, category: 'release', rationale: null, label: null },
      { index: 3, category: 'avoidance', rationale: null, label: 'x'.repeat(100) },
    ]);
  });

  it('uses the chosen attribute and value map, and lists the rows it cannot tell with their values', () => {
    const sut = resolveImportedAreas(rows({ CLASS: 1, 类别: '释放区' }, { CLASS: 2 }, { CLASS: null }), { categoryField: 'CLASS', categoryMap: { '1': 'avoidance' } });
    expect(sut.areas.map((a) => [a.index, a.category])).toEqual([[0, 'avoidance']]);
    expect(sut.unresolved).toEqual([{ index: 1, value: '2' }, { index: 2, value: null }]);
  });

  it('one category for all ignores the attributes', () => {
    const sut = resolveImportedAreas(rows({ 类别: '避让区' }, {}), { category: 'release' });
    expect(sut.areas.map((a) => a.category)).toEqual(['release', 'release']);
  });

  it('does not guess: unknown words stay unknown', () => {
    expect(categoryOf('待定', undefined)).toBeNull();
    expect(categoryOf('保护区', undefined)).toBeNull();
    expect(categoryOf('勘探区', undefined)).toBe('exploration');
  });
});
