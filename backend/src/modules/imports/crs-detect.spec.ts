import { classifyPosition, crsFromWkt, describeEpsg, detectFromPositions, gkEpsg } from './crs-detect';

// .prj texts exactly as GDAL 3.6 writes them for these EPSG codes (ESRI WKT1), see make-fixtures.sh
const ESRI_4526 =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_4546 =
  'PROJCS["CGCS2000_3_Degree_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const ESRI_4490 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const ESRI_4326 =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const ESRI_3857 =
  'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
// Custom name as Chinese survey software writes it: only the parameters identify the zone.
const CUSTOM_TM_ZONE37 =
  'PROJCS["长治测区",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",37500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const XIAN80 =
  'PROJCS["Xian_1980_3_Degree_GK_Zone_38",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('gkEpsg / describeEpsg', () => {
  it('maps Shanxi zones to the EPSG codes PostGIS defines', () => {
    expect(gkEpsg(37, true)).toBe(4525);
    expect(gkEpsg(38, true)).toBe(4526);
    expect(gkEpsg(37, false)).toBe(4546);
    expect(gkEpsg(38, false)).toBe(4547);
    expect(gkEpsg(25, true)).toBe(4513);
    expect(gkEpsg(45, false)).toBe(4554);
    expect(gkEpsg(46, true)).toBeNull();
    expect(describeEpsg(4547)).toEqual({ epsg: 4547, kind: 'gk_plain', zone: 38, centralMeridian: 114 });
    expect(describeEpsg(2383)).toBeNull();
  });
});

describe('crsFromWkt', () => {
  it.each([
    ['ESRI zone 38 (prefixed)', ESRI_4526, 4526],
    ['ESRI CM 111E (no prefix)', ESRI_4546, 4546],
    ['CGCS2000 geographic', ESRI_4490, 4490],
    ['WGS84', ESRI_4326, 4326],
    ['Web Mercator', ESRI_3857, 3857],
    ['custom name, Transverse_Mercator parameters', CUSTOM_TM_ZONE37, 4525],
  ])('reads %s', (_label, wkt, epsg) => {
    expect(crsFromWkt(wkt)).toEqual({ epsg });
  });

  it('reads OGC WKT with an EPSG authority', () => {
    const ogc = 'PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 38",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],PARAMETER["false_easting",38500000],PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","4526"]]';
    expect(crsFromWkt(ogc)).toEqual({ epsg: 4526 });
  });

  it('refuses Xian 1980 rather than silently treating it as CGCS2000', () => {
    expect(crsFromWkt(XIAN80)).toEqual({ unsupported: 'Xian_1980_3_Degree_GK_Zone_38' });
  });

  it('returns null for text that is not WKT', () => {
    expect(crsFromWkt('hello')).toBeNull();
  });
});

describe('classifyPosition', () => {
  it.each([
    [113.12, 36.2, { guess: { kind: 'geographic' }, swapped: false }],
    [36.2, 113.12, { guess: { kind: 'geographic' }, swapped: true }],
    [38421165.48, 4007954.0, { guess: { kind: 'gk_prefixed', zone: 38 }, swapped: false }],
    [4007954.0, 38421165.48, { guess: { kind: 'gk_prefixed', zone: 38 }, swapped: true }],
    [421165.48, 4007954.0, { guess: { kind: 'gk_plain' }, swapped: false }],
    [4007954.0, 421165.48, { guess: { kind: 'gk_plain' }, swapped: true }],
    [12592000, 4330000, { guess: { kind: 'web_mercator' }, swapped: false }],
  ])('(%p, %p)', (x, y, expected) => {
    expect(classifyPosition(x, y)).toEqual(expected);
  });

  it('does not read small local CAD coordinates as lon/lat', () => {
    expect(classifyPosition(12.5, 30.1)).toBeNull();
  });

  it('takes the majority reading of a sample', () => {
    const d = detectFromPositions([
      [4007954, 38421165],
      [3930535, 38395769],
      [0, 0],
    ]);
    expect(d).toMatchObject({ guess: { kind: 'gk_prefixed', zone: 38 }, swapped: true, sampled: 3 });
    expect(d.agreement).toBeCloseTo(2 / 3);
  });
});
