import { readFileSync } from 'fs';
import { join } from 'path';
import type { Point } from 'geojson';
import { makeZip } from '../../../test/imports/support/zip-writer';
import { ImportError, importErrorMessages, type ImportErrorCode } from './import-errors';
import { parseImport, type ParseImportOptions } from './import-preview';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/imports', name));

async function refusal(buffer: Buffer, filename: string, opts?: ParseImportOptions): Promise<ImportError> {
  try {
    await parseImport(buffer, filename, opts);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

const point = (x: number, y: number) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } });
const geojson = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

describe('parseImport refusals (each a 4xx with a code the UI can translate)', () => {
  it.each<[string, () => Buffer, string, ImportErrorCode, number, ParseImportOptions?]>([
    ['an empty file', () => Buffer.alloc(0), 'a.geojson', 'file_empty', 400],
    ['a file of blanks', () => Buffer.from('  \r\n\t '), 'a.csv', 'file_empty', 400],
    ['a file over the size limit', () => geojson([point(113, 36)]), 'a.geojson', 'file_too_large', 413, { limits: { maxFileBytes: 64 } }],
    ['a truncated zip', () => fixture('sites-4526-gbk.zip').subarray(0, 600), 'sites.zip', 'malformed_file', 400],
    ['a zip with a ../ entry', () => makeZip([{ name: '../../etc/cron.d/evil', data: Buffer.from('x') }, { name: 'a.kml', data: Buffer.from('<kml/>') }]), 'a.kmz', 'zip_unsafe_path', 400],
    ['a zip with an absolute path', () => makeZip([{ name: '/tmp/a.shp', data: Buffer.from('x') }]), 'a.zip', 'zip_unsafe_path', 400],
    ['a zipped Shapefile without .dbf', () => fixture('sites-no-dbf.zip'), 'sites.zip', 'shapefile_incomplete', 422],
    ['a bare .shp', () => readZipEntry('sites.shp'), 'sites.shp', 'shapefile_incomplete', 422],
    ['broken GeoJSON', () => Buffer.from('{"type":"FeatureCollection","features":[{'), 'a.geojson', 'malformed_file', 400],
    ['broken KML', () => Buffer.from('<?xml version="1.0"?><kml><Document><Placemark></Document></kml>'), 'a.kml', 'malformed_file', 400],
    ['a DWG', () => Buffer.from('AC1032\0\0\0\0binary'), 'a.dwg', 'unsupported_format', 415],
    ['a PNG', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'a.png', 'unsupported_format', 415],
    ['more features than allowed', () => geojson([point(113, 36), point(113.1, 36.1), point(113.2, 36.2)]), 'a.geojson', 'too_many_features', 413, { limits: { maxFeatures: 2 } }],
    ['a line with more vertices than allowed', () => geojson([{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 11 }, (_, i) => [113 + i / 1000, 36]) } }]), 'a.geojson', 'too_many_vertices', 413, { limits: { maxVerticesPerFeature: 10 } }],
    ['more vertices in total than allowed', () => geojson(Array.from({ length: 6 }, (_, i) => point(113 + i / 100, 36))), 'a.geojson', 'too_many_vertices', 413, { limits: { maxTotalVertices: 5 } }],
    ['a file with no features', () => geojson([]), 'a.geojson', 'no_features', 422],
    ['an unsupported user CRS', () => geojson([point(113, 36)]), 'a.geojson', 'crs_unsupported', 422, { srid: 2383 }],
    // a rest parameter: jest would take a sixth declared parameter for a done() callback
  ])('refuses %s', async (_label, make, filename, code, status, ...opts) => {
    const error = await refusal(make(), filename, opts[0]);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.localizedMessage('zh-CN')).not.toMatch(/\{\w+\}/); // every placeholder filled
    expect(importErrorMessages[code]['zh-CN']).toBeTruthy();
  });

  it('refuses a zip bomb by its compression ratio, counted while inflating', async () => {
    const bomb = makeZip([{ name: 'doc.kml', data: Buffer.alloc(8 * 1024 * 1024, 0x20) }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const error = await refusal(bomb, 'bomb.kmz', { limits: { zipRatioCheckMinBytes: 1024 * 1024 } });
    expect(error.code).toBe('zip_bomb');
    expect(error.status).toBe(413);
  });

  it('refuses a zip whose inflated size exceeds the limit', async () => {
    const big = makeZip([{ name: 'doc.kml', data: Buffer.alloc(3 * 1024 * 1024, 0x20) }]);
    const error = await refusal(big, 'big.kmz', { limits: { maxZipUncompressedBytes: 2 * 1024 * 1024 } });
    expect(error.code).toBe('zip_bomb');
  });

  it('refuses a zip whose headers understate the inflated size', async () => {
    const liar = makeZip([{ name: 'doc.kml', data: Buffer.alloc(3 * 1024 * 1024, 0x20), claimedSize: 100 }]);
    const error = await refusal(liar, 'liar.kmz', { limits: { maxZipUncompressedBytes: 2 * 1024 * 1024 } });
    expect(['zip_bomb', 'malformed_file']).toContain(error.code);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it('refuses a zip with too many entries before inflating anything', async () => {
    const many = makeZip(Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.kml`, data: Buffer.from('<kml/>') })));
    const error = await refusal(many, 'many.kmz', { limits: { maxZipEntries: 10 } });
    expect(error.code).toBe('zip_bomb');
  });
});

function readZipEntry(name: string): Buffer {
  // the .shp of the committed fixture, extracted with the system unzip to stay independent of our reader
  const { execFileSync } = require('child_process') as typeof import('child_process');
  return execFileSync('unzip', ['-p', join(__dirname, '../../../test/fixtures/imports/sites-4526-gbk.zip'), name]);
}

describe('parseImport CRS and axis detection', () => {
  it('reads a zipped Shapefile: CRS from .prj, GBK text from .cpg', async () => {
    const sut = await parseImport(fixture('sites-4526-gbk.zip'), 'sites.zip');
    expect(sut.format).toBe('shapefile_zip');
    expect(sut.crs).toEqual({ epsg: 4526, detectedFrom: 'prj' });
    expect(sut.features.map((f) => f.properties.name)).toEqual(['上党遗址点甲', '泽州古墓葬乙', '阳泉窑址丙']);
    expect(sut.features[0]?.properties['类别']).toBe('遗址');
    expect(sut.warnings).toEqual([]);
  });

  it('falls back to GBK when a Shapefile has no .cpg, and says so', async () => {
    const sut = await parseImport(fixture('sites-4526-gbk-nocpg.zip'), 'sites.zip');
    expect(sut.features[2]?.properties.name).toBe('阳泉窑址丙');
    expect(sut.warnings).toContainEqual({ code: 'encoding_guessed', params: { encoding: 'GBK' } });
  });

  it('detects X = northing in a GBK survey table, swaps, and reads the zone from the prefix', async () => {
    const sut = await parseImport(fixture('sites-4526-swapped-gbk.csv'), 'sites.csv');
    expect(sut.crs).toEqual({ epsg: 4526, detectedFrom: 'coordinates' });
    expect(sut.warnings.map((w) => w.code)).toContain('axis_swapped');
    const first = sut.features[0];
    expect((first?.geometry as Point).coordinates).toEqual([38421165.4841, 4007954.0041]);
    expect(first?.properties['名称']).toBe('上党遗址点甲');
  });

  it('reports but does not swap when the caller says swapXY: false', async () => {
    const sut = await parseImport(fixture('sites-4526-swapped-gbk.csv'), 'sites.csv', { swapXY: false });
    expect(sut.warnings).toContainEqual(expect.objectContaining({ code: 'axis_swapped', params: expect.objectContaining({ swapped: false }) }));
    expect((sut.features[0]?.geometry as Point).coordinates).toEqual([4007954.0041, 38421165.4841]);
  });

  it('swaps an x/y table holding latitude first', async () => {
    const sut = await parseImport(Buffer.from('id,x,y\n1,36.1987654,113.1234567\n2,35.4987654,112.8512345\n'), 'pts.csv');
    expect(sut.warnings).toContainEqual(expect.objectContaining({ code: 'axis_swapped', params: expect.objectContaining({ swapped: true }) }));
    expect((sut.features[1]?.geometry as Point).coordinates).toEqual([112.8512345, 35.4987654]);
    expect(sut.crs).toEqual({ epsg: 4490, detectedFrom: 'coordinates' });
  });

  it('puts 纬度/经度 columns in lon/lat order by their names (UTF-8 with BOM) and defaults to CGCS2000', async () => {
    const csv = Buffer.from('\ufeff名称,纬度,经度\n甲,36.1987654,113.1234567\n乙,35.4987654,112.8512345\n');
    const sut = await parseImport(csv, 'pts.csv');
    // named columns are put in lon/lat order by the header, so nothing needs swapping
    expect((sut.features[0]?.geometry as Point).coordinates).toEqual([113.1234567, 36.1987654]);
    expect(sut.crs).toEqual({ epsg: 4490, detectedFrom: 'coordinates' });
    expect(sut.warnings.map((w) => w.code)).not.toContain('axis_swapped');
  });

  it('asks for the CRS of unprefixed Gauss–Krüger values and suggests the Shanxi zones', async () => {
    const sut = await parseImport(fixture('zone-4547.dxf'), 'zone.dxf');
    expect(sut.crs).toEqual({ epsg: null, detectedFrom: null });
    expect(sut.crsSuggestions).toEqual([4546, 4547]);
    expect(sut.warnings).toContainEqual(expect.objectContaining({ code: 'no_crs', params: expect.objectContaining({ suggestions: '4546,4547' }) }));
  });

  it('takes the user srid over detection', async () => {
    const sut = await parseImport(fixture('zone-4547.dxf'), 'zone.dxf', { srid: 4547 });
    expect(sut.crs).toEqual({ epsg: 4547, detectedFrom: 'user' });
    expect(sut.warnings.map((w) => w.code)).toEqual([]);
  });

  it('swapXY: true forces the swap', async () => {
    const sut = await parseImport(geojson([point(36.2, 113.1)]), 'a.geojson', { swapXY: true });
    expect((sut.features[0]?.geometry as Point).coordinates).toEqual([113.1, 36.2]);
  });

  it('warns when a declared CRS does not fit the values', async () => {
    const body = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features: [point(38421165.4, 4007954.0)] };
    const sut = await parseImport(Buffer.from(JSON.stringify(body)), 'a.geojson');
    expect(sut.crs).toEqual({ epsg: 4490, detectedFrom: 'geojson_crs' });
    expect(sut.warnings).toContainEqual(expect.objectContaining({ code: 'crs_mismatch' }));
  });

  it('detects the format by content, not by the extension', async () => {
    const sut = await parseImport(fixture('zone.kml'), 'upload.txt');
    expect(sut.format).toBe('kml');
    expect(sut.crs).toEqual({ epsg: 4326, detectedFrom: 'kml_spec' });
  });

  it('reads a KMZ through the safe zip reader', async () => {
    const kmz = makeZip([{ name: 'doc.kml', data: fixture('zone.kml') }, { name: 'files/icon.png', data: Buffer.from([1, 2, 3]) }]);
    const sut = await parseImport(kmz, 'zone.kmz');
    expect(sut.format).toBe('kmz');
    expect(sut.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'LineString']);
    expect(sut.features[0]?.properties.name).toBe('长治高新区东区');
  });

  it('skips a broken feature with a warning instead of failing the file', async () => {
    const sut = await parseImport(
      geojson([point(113, 36), { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[113, 36], [113.1, 36]]] } }]),
      'a.geojson',
    );
    expect(sut.features).toHaveLength(1);
    expect(sut.warnings).toContainEqual(expect.objectContaining({ code: 'features_skipped', params: expect.objectContaining({ count: 1 }) }));
  });
});
