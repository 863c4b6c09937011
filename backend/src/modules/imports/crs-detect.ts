import type { Position } from 'geojson';

/**
 * CGCS2000 3-degree Gauss–Krüger zones 25–45 (central meridian = zone × 3°E):
 *   EPSG:4513 + (zone − 25)  easting prefixed with the zone number (false easting zone × 10⁶ + 500 000)
 *   EPSG:4534 + (zone − 25)  no prefix (false easting 500 000)
 * Checked against PostGIS 3.3 spatial_ref_sys (4525 = zone 37 / 111°E, 4547 = 114°E without prefix).
 */
export const GK_MIN_ZONE = 25;
export const GK_MAX_ZONE = 45;
const GK_PREFIXED_BASE = 4513;
const GK_PLAIN_BASE = 4534;

/** Shanxi spans zone 37 (111°E) and zone 38 (114°E); offered when unprefixed GK values carry no zone. */
export const SHANXI_GK_SUGGESTIONS = [4546, 4547] as const;

export type CrsKind = 'geographic' | 'web_mercator' | 'gk_prefixed' | 'gk_plain';

export interface CrsDescription {
  epsg: number;
  kind: CrsKind;
  zone?: number;
  centralMeridian?: number;
}

export function gkEpsg(zone: number, prefixed: boolean): number | null {
  if (!Number.isInteger(zone) || zone < GK_MIN_ZONE || zone > GK_MAX_ZONE) return null;
  return (prefixed ? GK_PREFIXED_BASE : GK_PLAIN_BASE) + zone - GK_MIN_ZONE;
}

export function describeEpsg(epsg: number): CrsDescription | null {
  if (epsg === 4326 || epsg === 4490) return { epsg, kind: 'geographic' };
  if (epsg === 3857) return { epsg, kind: 'web_mercator' };
  if (epsg >= GK_PREFIXED_BASE && epsg < GK_PLAIN_BASE) {
    const zone = epsg - GK_PREFIXED_BASE + GK_MIN_ZONE;
    return { epsg, kind: 'gk_prefixed', zone, centralMeridian: zone * 3 };
  }
  if (epsg >= GK_PLAIN_BASE && epsg <= GK_PLAIN_BASE + GK_MAX_ZONE - GK_MIN_ZONE) {
    const zone = epsg - GK_PLAIN_BASE + GK_MIN_ZONE;
    return { epsg, kind: 'gk_plain', zone, centralMeridian: zone * 3 };
  }
  return null;
}

export const isSupportedEpsg = (epsg: number): boolean => describeEpsg(epsg) !== null;

export function crsLabel(epsg: number): string {
  const d = describeEpsg(epsg);
  if (!d) return `EPSG:${epsg}`;
  switch (d.kind) {
    case 'geographic':
      return epsg === 4490 ? 'EPSG:4490 CGCS2000' : 'EPSG:4326 WGS84';
    case 'web_mercator':
      return 'EPSG:3857 Web Mercator';
    case 'gk_prefixed':
      return `EPSG:${epsg} CGCS2000 3° GK zone ${d.zone}`;
    case 'gk_plain':
      return `EPSG:${epsg} CGCS2000 3° GK CM ${d.centralMeridian}E`;
  }
}

// ---------------------------------------------------------------------------------------------------
// .prj / WKT

interface WktNode {
  keyword: string;
  args: Array<string | number | WktNode>;
}

function parseWkt(text: string): WktNode | null {
  let i = 0;
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const node = (): WktNode => {
    skipWs();
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
    const keyword = text.slice(start, i).toUpperCase();
    skipWs();
    const open = text[i];
    if (open !== '[' && open !== '(') throw new Error('expected [');
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      skipWs();
      const c = text[i];
      if (c === undefined) throw new Error('unterminated');
      if (c === ']' || c === ')') {
        i++;
        return { keyword, args };
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        let s = '';
        i++;
        while (i < text.length) {
          if (text[i] === '"' && text[i + 1] === '"') {
            s += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else s += text[i++];
        }
        args.push(s);
      } else if (/[-+0-9.]/.test(c)) {
        const m = /^[-+]?[0-9.]+(?:[eE][-+]?\d+)?/.exec(text.slice(i));
        if (!m) throw new Error('bad number');
        args.push(Number(m[0]));
        i += m[0].length;
      } else {
        // a keyword argument: either a node or a bare enum such as EAST / NORTH
        const save = i;
        while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
        skipWs();
        if (text[i] === '[' || text[i] === '(') {
          i = save;
          args.push(node());
        } else args.push(text.slice(save, i).trim());
      }
    }
  };
  try {
    return node();
  } catch {
    return null;
  }
}

const children = (n: WktNode, ...keywords: string[]): WktNode[] =>
  n.args.filter((a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword));

const nameOf = (n: WktNode | undefined): string => (n && typeof n.args[0] === 'string' ? n.args[0] : '');

function findDeep(n: WktNode, keywords: string[]): WktNode | undefined {
  for (const a of n.args) {
    if (typeof a !== 'object') continue;
    if (keywords.includes(a.keyword)) return a;
    const inner = findDeep(a, keywords);
    if (inner) return inner;
  }
  return undefined;
}

function authorityCode(n: WktNode): number | null {
  const auth = children(n, 'AUTHORITY', 'ID')[0];
  if (!auth || String(auth.args[0]).toUpperCase() !== 'EPSG') return null;
  const code = Number(auth.args[1]);
  return Number.isInteger(code) ? code : null;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

function parameters(n: WktNode): Map<string, number> {
  const params = new Map<string, number>();
  const visit = (node: WktNode) => {
    for (const p of children(node, 'PARAMETER')) {
      const value = p.args[1];
      if (typeof value === 'number') params.set(norm(nameOf(p)), value);
    }
    for (const a of node.args) if (typeof a === 'object' && a.keyword !== 'PARAMETER') visit(a);
  };
  visit(n);
  return params;
}

const param = (params: Map<string, number>, ...names: string[]): number | undefined => {
  for (const name of names) {
    const v = params.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
};

type DatumKind = 'cgcs2000' | 'wgs84' | 'other';

function datumKind(text: string): DatumKind {
  if (/china_?2000|cgcs_?2000|china_geodetic_coordinate_system_2000/i.test(norm(text))) return 'cgcs2000';
  if (/wgs_?(19)?_?84/i.test(norm(text))) return 'wgs84';
  return 'other';
}

export type PrjResult = { epsg: number } | { unsupported: string } | null;

/**
 * Reads the CRS of a .prj (ESRI WKT1 as written by ArcGIS/GDAL, OGC WKT1, or WKT2) by its parameters,
 * so custom names from Chinese survey software (南方 CASS, 超图) are understood as long as the datum is
 * CGCS2000 and the projection is a 3-degree GK zone. Xi'an 1980 and Beijing 1954 are refused by name:
 * converting them needs local transformation parameters.
 */
export function crsFromWkt(wkt: string): PrjResult {
  const root = parseWkt(wkt.trim());
  if (!root) return null;
  const rootName = nameOf(root);
  const code = authorityCode(root);
  if (code !== null && isSupportedEpsg(code)) return { epsg: code };

  const datumNode = findDeep(root, ['DATUM', 'GEODETICDATUM', 'TRF']);
  const allNames = `${rootName} ${nameOf(datumNode)} ${nameOf(findDeep(root, ['GEOGCS', 'GEOGCRS', 'BASEGEOGCRS', 'BASEGEODCRS']))}`;
  if (/xian|xi_an|beijing|1954|1980/i.test(norm(allNames)) && !/2000/.test(allNames)) {
    return { unsupported: rootName || nameOf(datumNode) };
  }
  const datum = datumKind(allNames);

  const projected = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS'].includes(root.keyword);
  if (!projected) {
    if (!['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS'].includes(root.keyword)) return null;
    if (datum === 'cgcs2000') return { epsg: 4490 };
    if (datum === 'wgs84') return { epsg: 4326 };
    return { unsupported: rootName };
  }

  const method = `${nameOf(findDeep(root, ['PROJECTION', 'METHOD']))}`;
  const params = parameters(root);
  if (/mercator_auxiliary_sphere|pseudo_mercator|popular_visuali[sz]ation|web_mercator|google/i.test(norm(`${method} ${rootName}`))) {
    return { epsg: 3857 };
  }
  if (/gauss|kruger|transverse_mercator/i.test(norm(method)) && datum === 'cgcs2000') {
    const cm = param(params, 'central_meridian', 'longitude_of_center', 'longitude_of_natural_origin', 'longitude_of_origin');
    const fe = param(params, 'false_easting');
    const k = param(params, 'scale_factor', 'scale_factor_at_natural_origin') ?? 1;
    const lat0 = param(params, 'latitude_of_origin', 'latitude_of_natural_origin') ?? 0;
    if (cm !== undefined && fe !== undefined && Math.abs(k - 1) < 1e-9 && lat0 === 0 && Number.isInteger(cm / 3)) {
      const zone = cm / 3;
      if (fe === 500000) {
        const epsg = gkEpsg(zone, false);
        if (epsg) return { epsg };
      } else if (fe === zone * 1e6 + 500000) {
        const epsg = gkEpsg(zone, true);
        if (epsg) return { epsg };
      }
    }
  }
  // Name-only fallback for .prj files that omit parameters.
  const byZone = /cgcs_?2000_3_degree_(?:gk|gauss_kruger)_zone_(\d+)/i.exec(norm(rootName));
  if (byZone) {
    const epsg = gkEpsg(Number(byZone[1]), true);
    if (epsg) return { epsg };
  }
  const byCm = /cgcs_?2000_3_degree_(?:gk|gauss_kruger)_cm_(\d+)e/i.exec(norm(rootName));
  if (byCm) {
    const epsg = gkEpsg(Number(byCm[1]) / 3, false);
    if (epsg) return { epsg };
  }
  return { unsupported: rootName || 'unknown' };
}

// ---------------------------------------------------------------------------------------------------
// Bare coordinates

export type CoordinateSystemGuess =
  | { kind: 'geographic' }
  | { kind: 'web_mercator' }
  | { kind: 'gk_prefixed'; zone: number }
  | { kind: 'gk_plain' };

export interface PositionClass {
  guess: CoordinateSystemGuess;
  swapped: boolean;
}

// China, generously: lon 73–136°E, lat 3–54°N. GK northings for lat ~17–56°N, plain GK eastings for a
// 3-degree zone (±~170 km around 500 000 m, widened), Web Mercator for the same lon/lat box.
const inRange = (v: number, lo: number, hi: number) => v >= lo && v <= hi;
const NORTHING: [number, number] = [1.9e6, 6.2e6];

function classifyOrdered(e: number, n: number): CoordinateSystemGuess | null {
  if (inRange(e, 73, 136) && inRange(n, 3, 54)) return { kind: 'geographic' };
  if (inRange(n, ...NORTHING)) {
    const zone = Math.floor(e / 1e6);
    if (zone >= GK_MIN_ZONE && zone <= GK_MAX_ZONE && inRange(e - zone * 1e6, 1e5, 9e5)) return { kind: 'gk_prefixed', zone };
    if (inRange(e, 1e5, 9e5)) return { kind: 'gk_plain' };
  }
  if (inRange(e, 8.1e6, 1.52e7) && inRange(n, 3.3e5, 7.2e6)) return { kind: 'web_mercator' };
  return null;
}

export function classifyPosition(x: number, y: number): PositionClass | null {
  const straight = classifyOrdered(x, y);
  if (straight) return { guess: straight, swapped: false };
  const swapped = classifyOrdered(y, x);
  return swapped ? { guess: swapped, swapped: true } : null;
}

const guessKey = (g: CoordinateSystemGuess) => (g.kind === 'gk_prefixed' ? `${g.kind}:${g.zone}` : g.kind);

export interface CoordinateDetection {
  /** The dominant reading of the sampled positions, or null when they fit nothing we know. */
  guess: CoordinateSystemGuess | null;
  swapped: boolean;
  /** Share of the sampled positions that agree with that reading (0..1). */
  agreement: number;
  sampled: number;
}

export function detectFromPositions(positions: Iterable<Position>): CoordinateDetection {
  const votes = new Map<string, { cls: PositionClass; n: number }>();
  let sampled = 0;
  for (const p of positions) {
    sampled++;
    const cls = classifyPosition(p[0] as number, p[1] as number);
    const key = cls ? `${guessKey(cls.guess)}|${cls.swapped}` : 'none';
    const vote = votes.get(key);
    if (vote) vote.n++;
    else if (cls) votes.set(key, { cls, n: 1 });
    else votes.set(key, { cls: { guess: { kind: 'gk_plain' }, swapped: false }, n: 1 });
  }
  let best: { key: string; cls: PositionClass; n: number } | null = null;
  for (const [key, v] of votes) if (!best || v.n > best.n) best = { key, ...v };
  if (!best || best.key === 'none' || sampled === 0) return { guess: null, swapped: false, agreement: 0, sampled };
  return { guess: best.cls.guess, swapped: best.cls.swapped, agreement: best.n / sampled, sampled };
}

/** The EPSG code bare coordinates imply, or null when they cannot say (plain GK: the zone is unknown). */
export function epsgForGuess(guess: CoordinateSystemGuess, geographicEpsg: 4326 | 4490): number | null {
  switch (guess.kind) {
    case 'geographic':
      return geographicEpsg;
    case 'web_mercator':
      return 3857;
    case 'gk_prefixed':
      return gkEpsg(guess.zone, true);
    case 'gk_plain':
      return null;
  }
}

/** Does a reading of the values agree with a declared CRS? (prefixed zones must match too) */
export function guessFitsEpsg(guess: CoordinateSystemGuess, epsg: number): boolean {
  const d = describeEpsg(epsg);
  if (!d) return false;
  if (d.kind === 'gk_prefixed') return guess.kind === 'gk_prefixed' && guess.zone === d.zone;
  return guess.kind === d.kind;
}

export function describeGuess(guess: CoordinateSystemGuess): string {
  switch (guess.kind) {
    case 'geographic':
      return 'lon/lat';
    case 'web_mercator':
      return 'EPSG:3857';
    case 'gk_prefixed':
      return `GK zone ${guess.zone} (EPSG:${gkEpsg(guess.zone, true)})`;
    case 'gk_plain':
      return 'GK without zone prefix';
  }
}
