import { parse } from 'csv-parse';
import { classifyPosition } from './crs-detect';
import { FeatureCollector } from './feature-collector';
import { malformed } from './import-errors';
import type { ImportLimits } from './import-limits';
import type { ImportWarning, ParsedLayer } from './parsed-layer';
import { decodeText } from './text-decode';

/** Header names normalised: lower case, no spaces/units/"坐标" suffix: "X坐标(m)" → "x", "横坐标" → "横". */
export function normalizeHeader(name: string): string {
  return name
    .toLowerCase()
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[\s_\-.:：]/g, '')
    .replace(/坐标|值$/g, '');
}

/**
 * Column pairs in the order [first, second] of the resulting position. `x`/`y` are taken as written:
 * whether X is the easting (GIS habit) or the northing (Chinese survey tables) is decided from the values
 * by the CRS detection, which swaps them and says so. Named axes are put in easting/northing order here.
 */
const AXIS_PAIRS: Array<[string[], string[]]> = [
  [['x'], ['y']],
  [['lon', 'lng', 'long', 'longitude', '经度', 'jd'], ['lat', 'latitude', '纬度', 'wd']],
  [['e', 'east', 'easting', '东', '东向', '横', 'yeast'], ['n', 'north', 'northing', '北', '北向', '纵', 'xnorth']],
];

const DMS = /^([-+]?\d+(?:\.\d+)?)\s*[°度d:\s]\s*(?:(\d+(?:\.\d+)?)\s*['′分m:\s]\s*)?(?:(\d+(?:\.\d+)?)\s*(?:["″秒s]|'')?)?\s*([NSEWnsew东西南北])?$/;

export function parseCoordinateValue(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  if (s === '') return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  const m = DMS.exec(s);
  if (!m) return null;
  const deg = Number(m[1]);
  const value = Math.abs(deg) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  const negative = deg < 0 || /^[SWsw西南]$/.test(m[4] ?? '');
  return negative ? -value : value;
}

function detectDelimiter(firstLine: string): string {
  const candidates = [',', '\t', ';', '|'];
  let best = ',';
  let bestCount = 0;
  for (const d of candidates) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function parseRows(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    parse(
      text,
      { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, bom: true },
      (error, records: string[][]) => (error ? reject(error) : resolve(records)),
    );
  });
}

function findHeaderPair(header: string[]): [number, number] | null {
  const names = header.map(normalizeHeader);
  for (const [firsts, seconds] of AXIS_PAIRS) {
    const a = names.findIndex((n) => firsts.includes(n));
    const b = names.findIndex((n) => seconds.includes(n));
    if (a >= 0 && b >= 0 && a !== b) return [a, b];
  }
  return null;
}

/** Without a usable header: the first pair of numeric columns whose values read as coordinates. */
function guessColumns(rows: string[][]): [number, number] | null {
  const sample = rows.slice(0, 20);
  const width = Math.max(0, ...sample.map((r) => r.length));
  const numeric = [...Array(width).keys()].filter((c) => sample.every((r) => parseCoordinateValue(r[c]) !== null));
  for (let i = 0; i < numeric.length; i++) {
    for (let j = i + 1; j < numeric.length; j++) {
      const [a, b] = [numeric[i] as number, numeric[j] as number];
      if (sample.every((r) => classifyPosition(parseCoordinateValue(r[a]) as number, parseCoordinateValue(r[b]) as number))) return [a, b];
    }
  }
  return numeric.length >= 2 ? [numeric[0] as number, numeric[1] as number] : null;
}

export async function parseCsv(buffer: Buffer, limits: ImportLimits): Promise<ParsedLayer> {
  const decoded = decodeText(buffer);
  const firstLine = decoded.text.split(/\r?\n/, 1)[0] ?? '';
  let rows: string[][];
  try {
    rows = await parseRows(decoded.text, detectDelimiter(firstLine));
  } catch (error) {
    throw malformed('CSV', error instanceof Error ? error.message : String(error), error);
  }
  const warnings: ImportWarning[] = [];
  if (decoded.guessed) warnings.push({ code: 'encoding_guessed', params: { encoding: 'GBK' } });
  const header = rows[0] ?? [];
  let columns = findHeaderPair(header);
  let dataRows = rows.slice(1);
  let names = header.map((h, i) => h || `col${i + 1}`);
  if (!columns) {
    const headerIsData = header.length > 0 && header.filter((c) => parseCoordinateValue(c) !== null).length >= 2;
    if (headerIsData) {
      dataRows = rows;
      names = header.map((_, i) => `col${i + 1}`);
    }
    columns = guessColumns(dataRows);
    if (!columns) throw malformed('CSV', '找不到坐标列（如 X/Y、经度/纬度、东坐标/北坐标） / no coordinate columns (x/y, lon/lat, easting/northing)');
    warnings.push({ code: 'csv_no_header', params: { xColumn: columns[0] + 1, yColumn: columns[1] + 1 } });
  }
  const [xi, yi] = columns;
  const collector = new FeatureCollector(limits);
  const badRows: number[] = [];
  const firstDataLine = rows.length - dataRows.length + 1;
  dataRows.forEach((row, i) => {
    const x = parseCoordinateValue(row[xi]);
    const y = parseCoordinateValue(row[yi]);
    if (x === null || y === null) {
      badRows.push(i + firstDataLine);
      return;
    }
    const properties: Record<string, unknown> = {};
    names.forEach((name, c) => {
      if (row[c] !== undefined) properties[name] = row[c];
    });
    collector.add({ type: 'Point', coordinates: [x, y] }, properties);
  });
  if (badRows.length > 0) {
    const shown = badRows.slice(0, 20).join(', ') + (badRows.length > 20 ? ', …' : '');
    warnings.push({ code: 'rows_skipped', params: { count: badRows.length, rows: shown } });
  }
  return { format: 'csv', features: collector.features, crs: { epsg: null, detectedFrom: null }, warnings: [...warnings, ...collector.skippedWarnings()] };
}
