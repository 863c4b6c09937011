import { readFileSync } from 'fs';
import { join } from 'path';
import type { Geometry, LineString, Point } from 'geojson';
import { ImportError } from '../../src/modules/imports/import-errors';
import { parseImport, type ParseImportOptions } from '../../src/modules/imports/import-preview';
import { transformToCgcs2000, type SqlQuery, type TransformOptions } from '../../src/modules/imports/postgis-transform';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const FIXTURES = join(__dirname, '../fixtures/imports');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

interface TruthFeature {
  properties: Record<string, string>;
  geometry: Geometry;
}
const truthSites = (JSON.parse(fixture('truth-4490.geojson').toString()) as { features: TruthFeature[] }).features;
const truthZone = (JSON.parse(fixture('truth-zone-4490.geojson').toString()) as { features: TruthFeature[] }).features;

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createScratchDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function importFile(name: string, opts: ParseImportOptions = {}, transform: TransformOptions = {}, buffer = fixture(name)) {
  const layer = await parseImport(buffer, name, opts);
  return { layer, result: await transformToCgcs2000(db.query, layer, transform) };
}

/** Metres between two lon/lat (EPSG:4490) geometries, on the ellipsoid. */
async function metresApart(a: Geometry, b: Geometry): Promise<number> {
  const [row] = await db.query(
    `SELECT ST_Distance(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)::geography,
                        ST_SetSRID(ST_GeomFromGeoJSON($2), 4490)::geography) AS d`,
    [JSON.stringify(a), JSON.stringify(b)],
  );
  return Number(row?.d);
}

/** Largest vertex displacement between two shapes, in metres (Hausdorff in the local GK zone). */
async function hausdorffMetres(a: Geometry, b: Geometry): Promise<number> {
  const [row] = await db.query(
    `SELECT ST_HausdorffDistance(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490), 4547),
                                 ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($2), 4490), 4547)) AS d`,
    [JSON.stringify(a), JSON.stringify(b)],
  );
  return Number(row?.d);
}

describe('zipped Shapefile, EPSG:4526, GBK attributes', () => {
  it('lands every point within 0.5 m of the surveyed truth with readable Chinese attributes', async () => {
    const { layer, result } = await importFile('sites-4526-gbk.zip');
    expect(layer.crs).toEqual({ epsg: 4526, detectedFrom: 'prj' });
    expect(result.features).toHaveLength(3);
    for (const [i, truth] of truthSites.entries()) {
      const got = result.features[i];
      expect(got?.properties.name).toBe(truth.properties.name);
      expect(got?.properties['类别']).toBe(truth.properties['类别']);
      expect(await metresApart(got?.geometry as Geometry, truth.geometry)).toBeLessThan(0.5);
    }
  });
});

describe('the same points as a CSV survey table (X = northing first, GBK)', () => {
  it('detects the swap and lands within 0.5 m after swapping', async () => {
    const { layer, result } = await importFile('sites-4526-swapped-gbk.csv');
    expect(layer.warnings).toContainEqual(expect.objectContaining({ code: 'axis_swapped', params: expect.objectContaining({ swapped: true }) }));
    for (const [i, truth] of truthSites.entries()) {
      const got = result.features[i];
      expect(got?.properties['名称']).toBe(truth.properties.name);
      expect(await metresApart(got?.geometry as Geometry, truth.geometry)).toBeLessThan(0.5);
    }
  });

  it('left unswapped (swapXY: false) the values are refused as outside the CRS, not silently misplaced', async () => {
    const layer = await parseImport(fixture('sites-4526-swapped-gbk.csv'), 'sites.csv', { swapXY: false, srid: 4526 });
    const error = await transformToCgcs2000(db.query, layer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'coordinates_out_of_range', status: 422 });
    expect((error as ImportError).localizedMessage('zh-CN')).toContain('EPSG:4526');
  });
});

describe('KML, GPX and DXF', () => {
  it('imports a KML polygon and line onto the truth', async () => {
    const { result } = await importFile('zone.kml');
    expect(result.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'LineString']);
    expect(result.features[0]?.properties.name).toBe('长治高新区东区');
    expect(await hausdorffMetres(result.features[0]?.geometry as Geometry, truthZone[0]?.geometry as Geometry)).toBeLessThan(0.5);
    expect(result.features.every((f) => f.valid)).toBe(true);
  });

  it('imports a GPX track as a 2D LineString with its times, and the waypoint as a Point', async () => {
    const { layer, result } = await importFile('track-4326.gpx');
    expect(layer.crs).toEqual({ epsg: 4326, detectedFrom: 'gpx_spec' });
    const track = result.features.find((f) => f.geometry.type === 'LineString');
    const waypoint = result.features.find((f) => f.geometry.type === 'Point');
    expect((track?.geometry as LineString).coordinates).toHaveLength(4);
    expect((track?.geometry as LineString).coordinates[0]).toEqual([113.101, 36.201]); // Z dropped, lon/lat kept
    expect(track?.properties).toMatchObject({ name: '踏查轨迹 2026-03-02', startedAt: '2026-03-02T01:00:00Z', endedAt: '2026-03-02T01:20:00Z' });
    expect((waypoint?.geometry as Point).coordinates).toEqual([113.11, 36.2075]);
    expect(waypoint?.properties.name).toBe('采集点1 陶片');
  });

  it('needs the CRS for a DXF, then lands its red line within 0.5 m', async () => {
    const layer = await parseImport(fixture('zone-4547.dxf'), 'zone.dxf');
    await expect(transformToCgcs2000(db.query, layer)).rejects.toMatchObject({ code: 'crs_required', status: 422 });

    const { result } = await importFile('zone-4547.dxf', { srid: 4547 });
    const [boundary, line] = result.features;
    expect(boundary?.geometry.type).toBe('Polygon');
    expect(boundary?.properties.layer).toBe('长治高新区东区');
    expect(await hausdorffMetres(boundary?.geometry as Geometry, truthZone[0]?.geometry as Geometry)).toBeLessThan(0.5);
    expect(await hausdorffMetres(line?.geometry as Geometry, truthZone[1]?.geometry as Geometry)).toBeLessThan(0.5);
  });

  it('keeps the size of tessellated CAD circles (area on the ellipsoid)', async () => {
    const { result } = await importFile('arcs-4547.dxf', { srid: 4547 });
    const circle = result.features.find((f) => f.properties.layer === '探方');
    const [row] = await db.query(`SELECT ST_Area(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)::geography) AS a`, [JSON.stringify(circle?.geometry)]);
    expect(Number(row?.a) / (Math.PI * 50 * 50)).toBeGreaterThan(0.995);
    expect(Number(row?.a) / (Math.PI * 50 * 50)).toBeLessThan(1.002);
  });
});

describe('validity', () => {
  const bowtie = Buffer.from(
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '正常地块' }, geometry: { type: 'Polygon', coordinates: [[[113, 36], [113.01, 36], [113.01, 36.01], [113, 36]]] } },
        { type: 'Feature', properties: { name: '蝴蝶结' }, geometry: { type: 'Polygon', coordinates: [[[113, 36], [113.01, 36.01], [113.01, 36], [113, 36.01], [113, 36]]] } },
      ],
    }),
  );

  it('names the self-intersection of a bowtie and where it is, without repairing it', async () => {
    const { result } = await importFile('bowtie.geojson', {}, {}, bowtie);
    expect(result.features[0]?.valid).toBe(true);
    const bad = result.features[1];
    expect(bad?.valid).toBe(false);
    expect(bad?.geometry.type).toBe('Polygon'); // not repaired unless asked
    const warning = result.warnings.find((w) => w.code === 'invalid_geometry');
    expect(warning).toMatchObject({ featureIndex: 1, params: { number: 2, reason: 'Self-intersection' } });
    const [lon, lat] = warning?.location?.coordinates ?? [];
    expect(lon).toBeCloseTo(113.005, 6);
    expect(lat).toBeCloseTo(36.005, 6);
  });

  it('repairs only when asked, keeping the result polygonal and valid', async () => {
    const { result } = await importFile('bowtie.geojson', {}, { repair: true }, bowtie);
    const fixed = result.features[1];
    expect(fixed?.repaired).toBe(true);
    expect(fixed?.geometry.type).toBe('MultiPolygon');
    const [row] = await db.query(`SELECT ST_IsValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)) AS v, ST_NumGeometries(ST_GeomFromGeoJSON($1)) AS n`, [JSON.stringify(fixed?.geometry)]);
    expect(row).toEqual({ v: true, n: 2 });
    expect(result.warnings.map((w) => w.code)).toEqual(['invalid_geometry', 'geometry_repaired']);
  });

  it('transforms a whole layer in one statement', async () => {
    const layer = await parseImport(fixture('sites-4526-gbk.zip'), 'sites.zip');
    const calls: string[] = [];
    const counting: SqlQuery = (sql, params) => {
      calls.push(sql);
      return db.query(sql, params);
    };
    const result = await transformToCgcs2000(counting, layer);
    expect(result.features).toHaveLength(3);
    expect(calls).toHaveLength(1);
  });

  it('turns a PostGIS refusal into a 4xx, never a 500', async () => {
    const layer = await parseImport(fixture('truth-4490.geojson'), 'truth.geojson');
    const failing: SqlQuery = () => Promise.reject(new Error('parse error - invalid geometry'));
    const error = await transformToCgcs2000(failing, layer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).status).toBe(400);
  });
});
