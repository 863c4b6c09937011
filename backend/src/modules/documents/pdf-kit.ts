import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * Building blocks for the server-rendered documents (the zoning opinion, the commitment letter): an A4
 * document with the CJK fonts registered, running header/footer with page numbers, tables that break
 * across pages, and a vector map. Everything is deterministic for the same input (fixed creation date,
 * no random ids), so a re-render reproduces the stored SHA-256.
 */

export type Doc = PDFKit.PDFDocument;
export type Rgb = [number, number, number];

// ---------------------------------------------------------------- fonts

/** Font aliases registered on every document. */
export const FONT = { serif: 'cjk-serif', serifBold: 'cjk-serif-bold', sans: 'cjk-sans' } as const;

/** Debian/Ubuntu (fonts-noto-cjk) first, then the Fedora/Arch locations of the same files. */
const FONT_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/google-noto-cjk', '/usr/share/fonts/noto'];
/** Simplified-Chinese faces inside the TrueType collections (fontkit picks a face by PostScript name). */
const FACES: Record<keyof typeof FONT, { file: string; postscript: string }> = {
  serif: { file: 'NotoSerifCJK-Regular.ttc', postscript: 'NotoSerifCJKsc-Regular' },
  serifBold: { file: 'NotoSerifCJK-Bold.ttc', postscript: 'NotoSerifCJKsc-Bold' },
  sans: { file: 'NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKsc-Regular' },
};

export class CjkFontMissingError extends Error {
  constructor(missing: string[]) {
    super(
      `CJK fonts not found: ${missing.join(', ')} (looked in ${FONT_DIRS.join(', ')}). ` +
        'Documents need the Noto CJK fonts: install them with `apt-get install fonts-noto-cjk` (Debian/Ubuntu) and restart the service.',
    );
    this.name = 'CjkFontMissingError';
  }
}

let fontCache: Map<keyof typeof FONT, Buffer> | null = null;

/** Reads the font files once per process; throws CjkFontMissingError naming the package to install. */
export function loadCjkFonts(dirs: string[] = FONT_DIRS): Map<keyof typeof FONT, Buffer> {
  if (fontCache && dirs === FONT_DIRS) return fontCache;
  const found = new Map<keyof typeof FONT, Buffer>();
  const missing: string[] = [];
  for (const key of Object.keys(FACES) as Array<keyof typeof FONT>) {
    const file = FACES[key].file;
    const dir = dirs.find((d) => existsSync(join(d, file)));
    if (dir) found.set(key, readFileSync(join(dir, file)));
    else missing.push(file);
  }
  if (missing.length) throw new CjkFontMissingError(missing);
  if (dirs === FONT_DIRS) fontCache = found;
  return found;
}

// ---------------------------------------------------------------- document

/** GB/T 9704 official-document margins on A4 (mm): top 37, bottom 35, left 28, right 26. */
export const MM = 72 / 25.4;
export const A4_MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };

export interface CjkDocumentOptions {
  title: string;
  author: string;
  subject?: string;
  keywords?: string;
  /** creation and modification date written into the file; the same date gives the same bytes */
  creationDate: Date;
  margins?: { top: number; bottom: number; left: number; right: number };
}

/** An A4 document with the CJK fonts registered and pages buffered (for "page n of N" footers). */
export function createCjkDocument(opts: CjkDocumentOptions): Doc {
  const fonts = loadCjkFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: opts.margins ?? A4_MARGINS,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: opts.title,
      Author: opts.author,
      Subject: opts.subject ?? '',
      Keywords: opts.keywords ?? '',
      Creator: 'Qianzhi 考古前置',
      Producer: 'Qianzhi 考古前置 (PDFKit)',
      CreationDate: opts.creationDate,
      ModDate: opts.creationDate,
    },
  });
  for (const key of Object.keys(FACES) as Array<keyof typeof FONT>) {
    doc.registerFont(FONT[key], fonts.get(key)!, FACES[key].postscript);
  }
  doc.font(FONT.serif);
  return doc;
}

/** Content width between the margins. */
export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Adds a page if fewer than `needed` points remain above the bottom margin; returns true if it did. */
export function ensureSpace(doc: Doc, needed: number): boolean {
  if (doc.y + needed <= doc.page.height - doc.page.margins.bottom) return false;
  doc.addPage();
  return true;
}

export interface RunningTexts {
  /** header text for a page (1-based), or null for none (e.g. the first page of a letter) */
  header?: (page: number, pages: number) => string | null;
  footer?: (page: number, pages: number) => string | null;
}

/** Writes headers/footers on every buffered page (now that the page count is known), then ends the file. */
export function finishDocument(doc: Doc, running: RunningTexts = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const page = i - start + 1;
    const { left, right, top, bottom } = doc.page.margins;
    const width = doc.page.width - left - right;
    // writing inside the margins must not trigger an automatic page break
    doc.page.margins = { left, right, top: 0, bottom: 0 };
    const header = running.header?.(page, count);
    if (header) {
      doc.font(FONT.sans).fontSize(8.5).fillColor('#555555').fillOpacity(1);
      doc.text(header, left, top - 22, { width, align: 'right', lineBreak: false });
      doc.moveTo(left, top - 10).lineTo(left + width, top - 10).lineWidth(0.5).strokeColor('#999999').stroke();
    }
    const footer = running.footer?.(page, count);
    if (footer) {
      doc.font(FONT.sans).fontSize(9).fillColor('#333333').fillOpacity(1);
      doc.text(footer, left, doc.page.height - bottom + 14, { width, align: 'center', lineBreak: false });
    }
    doc.page.margins = { left, right, top, bottom };
  }
  doc.flushPages();
  doc.end();
  return done;
}

/** A centred heading (document titles, attachment captions). */
export function heading(doc: Doc, text: string, size = 16, font: string = FONT.serifBold): void {
  const left = doc.page.margins.left;
  doc.font(font).fontSize(size).fillColor('#000000').fillOpacity(1);
  doc.text(text, left, doc.y, { width: contentWidth(doc), align: 'center' });
}

/** A body paragraph with the two-character first-line indent of Chinese prose. */
export function paragraph(doc: Doc, text: string, size = 12, opts: { indent?: boolean; gap?: number } = {}): void {
  const left = doc.page.margins.left;
  doc.font(FONT.serif).fontSize(size).fillColor('#000000').fillOpacity(1);
  doc.text(text, left, doc.y, { width: contentWidth(doc), align: 'justify', indent: opts.indent === false ? 0 : size * 2, lineGap: size * 0.45 });
  doc.y += opts.gap ?? size * 0.3;
}

// ---------------------------------------------------------------- tables

/**
 * Table cells (point numbers, coordinates, areas) need no OpenType shaping, and shaping every one of a
 * few thousand unique numbers through the CJK fonts' large GSUB/GPOS tables dominated render time.
 * The SC face's cmap already maps to Simplified-Chinese glyphs, so `locl` is not needed either.
 */
const PLAIN_TEXT_FEATURES = Object.fromEntries(
  ['rvrn', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'vert'].map((f) => [f, false]),
) as unknown as PDFKit.Mixins.OpenTypeFeatures[];

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableRow {
  cells: string[];
  /** subtotal/total rows are set in bold on a grey ground */
  emphasis?: boolean;
}

export interface TableOptions {
  x?: number;
  fontSize?: number;
  padding?: number;
  headerFill?: string;
}

/**
 * A ruled table starting at doc.y; rows wrap their text, and the header repeats after each page break.
 * Returns the y below the table.
 */
export function drawTable(doc: Doc, columns: TableColumn[], rows: Array<TableRow | string[]>, opts: TableOptions = {}): number {
  const x0 = opts.x ?? doc.page.margins.left;
  const size = opts.fontSize ?? 9.5;
  const pad = opts.padding ?? 3.5;
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  const rowHeight = (cells: string[], font: string): number => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]!.width - 2 * pad, features: PLAIN_TEXT_FEATURES }))) + 2 * pad;
  };
  const drawRow = (cells: string[], y: number, h: number, font: string, fill: string | null): void => {
    if (fill) doc.rect(x0, y, totalWidth, h).fillOpacity(1).fill(fill);
    let x = x0;
    doc.font(font).fontSize(size).fillColor('#000000').fillOpacity(1);
    cells.forEach((c, i) => {
      const col = columns[i]!;
      doc.text(c, x + pad, y + pad, { width: col.width - 2 * pad, align: col.align ?? 'left', features: PLAIN_TEXT_FEATURES });
      x += col.width;
    });
    doc.lineWidth(0.5).strokeColor('#000000');
    doc.rect(x0, y, totalWidth, h).stroke();
    x = x0;
    for (const col of columns.slice(0, -1)) {
      x += col.width;
      doc.moveTo(x, y).lineTo(x, y + h).stroke();
    }
  };
  const headers = columns.map((c) => c.header);
  const headerHeight = rowHeight(headers, FONT.sans);
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;
  let y = doc.y;
  if (y + headerHeight * 2 > bottom()) {
    doc.addPage();
    y = doc.y;
  }
  drawRow(headers, y, headerHeight, FONT.sans, opts.headerFill ?? '#e8e8e8');
  y += headerHeight;
  for (const raw of rows) {
    const row: TableRow = Array.isArray(raw) ? { cells: raw } : raw;
    const font = row.emphasis ? FONT.serifBold : FONT.serif;
    const h = rowHeight(row.cells, font);
    if (y + h > bottom()) {
      doc.addPage();
      y = doc.y;
      drawRow(headers, y, headerHeight, FONT.sans, opts.headerFill ?? '#e8e8e8');
      y += headerHeight;
    }
    drawRow(row.cells, y, h, font, row.emphasis ? '#f3f3f3' : null);
    y += h;
  }
  doc.x = doc.page.margins.left;
  doc.y = y + 6;
  return doc.y;
}

// ---------------------------------------------------------------- map

export type LonLat = [number, number];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface MapFeature {
  geometry: AreaGeometry;
  fill?: Rgb | null;
  fillOpacity?: number;
  stroke?: string;
  lineWidth?: number;
  dash?: number;
  label?: string;
}

export interface LegendEntry {
  label: string;
  fill?: Rgb | null;
  fillOpacity?: number;
  stroke: string;
  dash?: number;
}

export interface MapOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  /** drawn in order: later features on top */
  features: MapFeature[];
  legend?: LegendEntry[];
  legendTitle?: string;
}

export interface MapProjection {
  /** PDF points per metre on the ground */
  ptPerMetre: number;
  /** lon/lat → PDF page coordinates */
  project: (p: number[]) => [number, number];
  /** the ratio 1:N at which the map prints (1 pt = 25.4/72 mm) */
  scaleDenominator: number;
}

/** CGCS2000 ellipsoid (same as GRS80 to the micrometre). */
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);

/**
 * Local equirectangular projection at the map's central latitude, scaled by the ellipsoid's radii of
 * curvature there (meridian M, prime vertical N·cos φ): metres per degree are exact at the centre and
 * within 0.1 % over a development zone's extent (a few km) — enough for a scale bar, and simpler than
 * carrying Gauss–Krüger coordinates for every feature. Pure drawing arithmetic; no spatial analysis here.
 */
export function localProjection(bbox: [number, number, number, number], box: { x: number; y: number; width: number; height: number }): MapProjection {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const lat0 = ((minLat + maxLat) / 2) * (Math.PI / 180);
  const w = 1 - E2 * Math.sin(lat0) ** 2;
  const mPerDegLat = ((A * (1 - E2)) / w ** 1.5) * (Math.PI / 180);
  const mPerDegLon = (A / Math.sqrt(w)) * Math.cos(lat0) * (Math.PI / 180);
  const widthM = Math.max((maxLon - minLon) * mPerDegLon, 1);
  const heightM = Math.max((maxLat - minLat) * mPerDegLat, 1);
  const ptPerMetre = Math.min(box.width / widthM, box.height / heightM);
  const offX = box.x + (box.width - widthM * ptPerMetre) / 2;
  const offY = box.y + (box.height - heightM * ptPerMetre) / 2;
  return {
    ptPerMetre,
    scaleDenominator: 1 / (ptPerMetre * (25.4 / 72 / 1000)),
    project: (p) => [offX + (p[0]! - minLon) * mPerDegLon * ptPerMetre, offY + (maxLat - p[1]!) * mPerDegLat * ptPerMetre],
  };
}

function polygonsOf(g: AreaGeometry): number[][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function geometryBbox(geometries: AreaGeometry[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const g of geometries) {
    for (const poly of polygonsOf(g)) for (const ring of poly) for (const p of ring) {
      minX = Math.min(minX, p[0]!); maxX = Math.max(maxX, p[0]!);
      minY = Math.min(minY, p[1]!); maxY = Math.max(maxY, p[1]!);
    }
  }
  if (!Number.isFinite(minX)) throw new RangeError('map has no coordinates to draw');
  return [minX, minY, maxX, maxY];
}

/**
 * A label position inside a polygon: the midpoint of the widest inside run of the horizontal line through
 * the middle of the largest part's bounding box (a centroid can fall outside an L- or U-shaped area).
 */
export function labelPoint(g: AreaGeometry): [number, number] {
  const parts = polygonsOf(g);
  let best: number[][][] = parts[0]!;
  let bestSpan = -1;
  for (const p of parts) {
    const [a, b, c, d] = geometryBbox([{ type: 'Polygon', coordinates: p }]);
    if ((c - a) * (d - b) > bestSpan) { bestSpan = (c - a) * (d - b); best = p; }
  }
  const [minX, minY, maxX, maxY] = geometryBbox([{ type: 'Polygon', coordinates: best }]);
  const yLine = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      if ((y1 <= yLine && y2 > yLine) || (y2 <= yLine && y1 > yLine)) xs.push(x1 + ((yLine - y1) / (y2 - y1)) * (x2 - x1));
    }
  }
  xs.sort((p, q) => p - q);
  let mid = (minX + maxX) / 2;
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > widest) { widest = xs[i + 1]! - xs[i]!; mid = (xs[i]! + xs[i + 1]!) / 2; }
  }
  return [mid, yLine];
}

function tracePolygon(doc: Doc, poly: number[][][], project: MapProjection['project']): void {
  for (const ring of poly) {
    ring.forEach((p, i) => {
      const [x, y] = project(p);
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    doc.closePath();
  }
}

function rgbHex(c: Rgb): string {
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** A "nice" scale-bar length (1, 2 or 5 × 10^k metres) of about a quarter of the map width. */
export function niceLength(maxMetres: number): number {
  const pow = 10 ** Math.floor(Math.log10(maxMetres));
  for (const f of [5, 2, 1]) if (f * pow <= maxMetres) return f * pow;
  return pow;
}

/**
 * Draws a framed vector map: the features (polygons, holes by the even-odd rule), their labels, a legend,
 * a scale bar with its ratio, and a north arrow. Returns the projection used.
 */
export function drawMap(doc: Doc, opts: MapOptions): MapProjection {
  const { x, y, width, height } = opts;
  const pad = 14;
  const proj = localProjection(geometryBbox(opts.features.map((f) => f.geometry)), { x: x + pad, y: y + pad, width: width - 2 * pad, height: height - 2 * pad });

  doc.save();
  doc.rect(x, y, width, height).clip();
  for (const f of opts.features) {
    for (const poly of polygonsOf(f.geometry)) {
      tracePolygon(doc, poly, proj.project);
      doc.lineWidth(f.lineWidth ?? 0.8).strokeColor(f.stroke ?? '#000000');
      if (f.dash) doc.dash(f.dash, { space: f.dash * 0.6 });
      else doc.undash();
      if (f.fill) {
        doc.fillColor(rgbHex(f.fill)).fillOpacity(f.fillOpacity ?? 1).strokeOpacity(1);
        doc.fillAndStroke(rgbHex(f.fill), f.stroke ?? '#000000', 'even-odd');
      } else {
        doc.stroke();
      }
    }
  }
  doc.undash().fillOpacity(1);
  doc.font(FONT.sans).fontSize(8).fillColor('#111111');
  for (const f of opts.features) {
    if (!f.label) continue;
    const [lx, ly] = proj.project(labelPoint(f.geometry));
    const w = doc.widthOfString(f.label);
    doc.text(f.label, lx - w / 2, ly - 4.5, { lineBreak: false });
  }
  doc.restore();

  // frame
  doc.lineWidth(1).strokeColor('#000000').undash().rect(x, y, width, height).stroke();

  // north arrow (top right)
  const nx = x + width - 24;
  const ny = y + 14;
  doc.fillOpacity(1);
  doc.polygon([nx, ny], [nx - 7, ny + 24], [nx, ny + 18]).fill('#000000');
  doc.polygon([nx, ny], [nx + 7, ny + 24], [nx, ny + 18]).lineWidth(0.8).fillAndStroke('#ffffff', '#000000');
  doc.font(FONT.sans).fontSize(9).fillColor('#000000');
  doc.text('北', nx - 4.5, ny + 26, { lineBreak: false });
  doc.text('N', nx - 3, ny - 11, { lineBreak: false });

  // scale bar (bottom right)
  const barMetres = niceLength((width * 0.28) / proj.ptPerMetre);
  const barPt = barMetres * proj.ptPerMetre;
  const bx = x + width - barPt - 16;
  const by = y + height - 24;
  for (let i = 0; i < 4; i++) {
    doc.rect(bx + (barPt / 4) * i, by, barPt / 4, 4).lineWidth(0.6).fillAndStroke(i % 2 === 0 ? '#000000' : '#ffffff', '#000000');
  }
  const unit = (m: number): string => (barMetres >= 2000 ? `${m / 1000} km` : `${m} m`);
  doc.font(FONT.sans).fontSize(7).fillColor('#000000');
  doc.text('0', bx - 2, by - 9, { lineBreak: false });
  const endLabel = unit(barMetres);
  doc.text(endLabel, bx + barPt - doc.widthOfString(endLabel) / 2, by - 9, { lineBreak: false });
  const ratio = `比例尺 1:${Math.round(proj.scaleDenominator / 100) * 100}`;
  doc.text(ratio, bx + barPt - doc.widthOfString(ratio), by + 7, { lineBreak: false });

  // legend (bottom left)
  if (opts.legend?.length) {
    const lineH = 14;
    const title = opts.legendTitle ?? '图例';
    doc.font(FONT.sans).fontSize(8);
    const lw = Math.max(doc.widthOfString(title), ...opts.legend.map((e) => doc.widthOfString(e.label))) + 34;
    const lh = lineH * (opts.legend.length + 1) + 8;
    const lx = x + 8;
    const ly = y + height - lh - 8;
    doc.rect(lx, ly, lw, lh).lineWidth(0.6).fillOpacity(1).fillAndStroke('#ffffff', '#000000');
    doc.fillColor('#000000').text(title, lx + 6, ly + 5, { lineBreak: false });
    opts.legend.forEach((e, i) => {
      const ey = ly + 5 + lineH * (i + 1);
      doc.rect(lx + 6, ey, 18, 9).lineWidth(e.dash ? 1.2 : 0.8);
      if (e.dash) doc.dash(e.dash / 2, { space: e.dash * 0.3 });
      if (e.fill) doc.fillOpacity(e.fillOpacity ?? 1).fillAndStroke(rgbHex(e.fill), e.stroke);
      else doc.strokeColor(e.stroke).stroke();
      doc.undash().fillOpacity(1).fillColor('#000000');
      doc.text(e.label, lx + 28, ey, { lineBreak: false });
    });
  }
  doc.fillOpacity(1).strokeOpacity(1).fillColor('#000000').strokeColor('#000000').lineWidth(1);
  return proj;
}
