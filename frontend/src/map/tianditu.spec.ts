import { describe, expect, it } from 'vitest';
import { tiandituTileUrl } from './tianditu';

describe('tiandituTileUrl', () => {
  it('builds the web-Mercator WMTS template with the key for vector and annotation layers', () => {
    const vec = tiandituTileUrl('vec', 'abc123');
    expect(vec).toMatch(/^https:\/\/t\{0-7\}\.tianditu\.gov\.cn\/vec_w\/wmts\?/);
    expect(vec).toContain('LAYER=vec');
    expect(vec).toContain('TILEMATRIXSET=w');
    expect(vec).toContain('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}');
    expect(vec.endsWith('&tk=abc123')).toBe(true);
    expect(tiandituTileUrl('cva', 'k')).toContain('/cva_w/wmts?');
  });
});
