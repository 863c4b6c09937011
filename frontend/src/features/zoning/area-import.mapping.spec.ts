import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { attributesOf, guessedMap, importOptions, initialChoice, unmappedValues, valuesOf } from './area-import.mapping';

const f = (properties: Record<string, unknown>): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [0, 0] } });

describe('area import mapping', () => {
  const rows = [f({ index: 0, 类别: '避让区', 依据: '墓葬', 名称: '一区' }), f({ index: 1, 类别: '勘探' }), f({ index: 2, 类别: '待定', CLASS: 3 })];

  it('finds the usual attributes and guesses the usual category words, leaving the rest for the user', () => {
    expect(attributesOf(rows)).toEqual(['类别', '依据', '名称', 'CLASS']);
    const sut = initialChoice(rows);
    expect(sut).toEqual({
      source: { mode: 'field', field: '类别', map: { 避让区: 'avoidance', 勘探: 'exploration', 待定: undefined } },
      rationaleField: '依据',
      labelField: '名称',
    });
    expect(unmappedValues(sut, rows)).toEqual(['待定']);
    // leaving the unknown row out of the import completes the mapping
    expect(unmappedValues(sut, rows.slice(0, 2))).toEqual([]);
  });

  it('a file without a category attribute starts with one category for all', () => {
    expect(initialChoice([f({ NOTE: 'x' })]).source).toEqual({ mode: 'fixed', category: 'exploration' });
  });

  it('empty cells are a value of their own that needs a category', () => {
    expect(valuesOf([f({ CLASS: 1 }), f({ CLASS: '' }), f({})], 'CLASS')).toEqual(['', '1']);
    expect(guessedMap([f({ CLASS: 1 })], 'CLASS')).toEqual({ '1': undefined });
  });

  it('builds the commit options with the plan revision the user saw', () => {
    const choice = { source: { mode: 'field' as const, field: 'CLASS', map: { '1': 'avoidance' as const, '3': 'release' as const, '9': undefined } }, rationaleField: null, labelField: 'NAME' };
    expect(importOptions(choice, { id: 'p-1', rowVersion: 7 })).toEqual({
      planId: 'p-1', rowVersion: 7, categoryField: 'CLASS', categoryMap: { '1': 'avoidance', '3': 'release' }, labelField: 'NAME',
    });
    expect(importOptions({ source: { mode: 'fixed', category: 'release' }, rationaleField: 'R', labelField: null }, { id: 'p-1', rowVersion: 2 })).toEqual({
      planId: 'p-1', rowVersion: 2, category: 'release', rationaleField: 'R',
    });
  });
});
