import { gkCrsNote, gkZoneForLongitude, GkZoneError } from './gk-coordinates';

describe('gkZoneForLongitude', () => {
  it('puts Tunliu (112.89°E) in zone 38, central meridian 114°, EPSG:4526', () => {
    expect(gkZoneForLongitude(112.89)).toEqual({ zone: 38, centralMeridian: 114, epsg: 4526 });
  });

  it('puts western Shanxi (110.6°E) in zone 37 (111°, EPSG:4525) and splits at the half-way meridian 112.5°', () => {
    expect(gkZoneForLongitude(110.6)).toEqual({ zone: 37, centralMeridian: 111, epsg: 4525 });
    expect(gkZoneForLongitude(112.49).zone).toBe(37);
    expect(gkZoneForLongitude(112.51).zone).toBe(38);
  });

  it('covers EPSG:4513 (zone 25) to EPSG:4533 (zone 45) and refuses longitudes outside China', () => {
    expect(gkZoneForLongitude(75).epsg).toBe(4513);
    expect(gkZoneForLongitude(135).epsg).toBe(4533);
    expect(() => gkZoneForLongitude(10)).toThrow(GkZoneError);
    expect(() => gkZoneForLongitude(Number.NaN)).toThrow(GkZoneError);
  });

  it('names the CRS as a Chinese table note does', () => {
    const sut = gkCrsNote({ zone: 38, centralMeridian: 114 });
    expect(sut).toContain('2000国家大地坐标系');
    expect(sut).toContain('3度带 第38带');
    expect(sut).toContain('中央经线114°');
  });
});
