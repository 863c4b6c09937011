import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source';
import { gkCoordinateTables, GkTable } from '../../src/modules/documents/gk-coordinates';
import { DEFAULT_RELEASE_CONDITIONS, OpinionPdfInput, renderOpinionPdf } from '../../src/modules/documents/opinion-pdf.renderer';
import { CjkFontMissingError, loadCjkFonts } from '../../src/modules/documents/pdf-kit';
import { TestDatabase, createTestDatabase } from '../support/test-db';
import { StoredZoning, storeTunliuZoning } from './support/fixtures';
import { Pnm, pdfPageCount, pdfText, renderPage } from './support/poppler';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** pdftotext breaks lines and pads columns; compare without any whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');
const mu = (m2: number) => ((m2 * 15) / 10000).toFixed(2);
const ha = (m2: number) => (m2 / 10000).toFixed(4);

type Hue = 'red' | 'amber' | 'green';
/** Classifies a pixel as one of the zoning colours (avoidance red, exploration amber, release green), or null. */
function hueOf(r: number, g: number, b: number): Hue | null {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 35) return null; // grey, white, black
  let h: number;
  if (max === r) h = (60 * (g - b)) / (max - min);
  else if (max === g) h = 120 + (60 * (b - r)) / (max - min);
  else h = 240 + (60 * (r - g)) / (max - min);
  if (h < 0) h += 360;
  if (h < 15 || h >= 345) return 'red';
  if (h >= 30 && h < 55) return 'amber';
  if (h >= 95 && h < 150) return 'green';
  return null;
}

function countHues(img: Pnm): Record<Hue, number> {
  const counts: Record<Hue, number> = { red: 0, amber: 0, green: 0 };
  for (let i = 0; i < img.width * img.height; i++) {
    const hue = hueOf(img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!);
    if (hue) counts[hue]++;
  }
  return counts;
}

describe('the zoning opinion PDF (分类文物保护工作意见)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let zoning: StoredZoning;
  let gkTables: GkTable[];
  let input: OpinionPdfInput;
  let pdf: Buffer;
  let text: string;
  let mapPage: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config.databaseUrl, { extra: { max: 2 } }));
    await ds.initialize();
    zoning = await storeTunliuZoning(db.admin);
    gkTables = await gkCoordinateTables(ds.manager, zoning.areas.filter((a) => a.category !== 'release').map((a) => a.id));
    input = {
      documentNumber: '晋文物函〔2026〕12号',
      issuedAt: new Date('2026-11-27T02:00:00Z'),
      bureauName: '山西省文物局',
      committeeName: '屯留经济技术开发区管理委员会',
      zone: { name: '屯留经济技术开发区（文书测试）', code: 'DEMO-DOC-TL', divisionName: '山西省长治市屯留区', category: 'industrial', boundary: zoning.boundary },
      plan: { version: 1 },
      areas: zoning.areas,
      gkTables,
      releaseConditions: [...DEFAULT_RELEASE_CONDITIONS],
    };
    pdf = await renderOpinionPdf(input);
    text = await pdfText(pdf);
    const pages = await pdfPageCount(pdf);
    mapPage = 0;
    for (let p = 1; p <= pages && !mapPage; p++) if (squash(await pdfText(pdf, p)).includes('文物保护分区图')) mapPage = p;
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('is an A4 PDF whose text names the zone, the number, the addressee and the Shanghai date', async () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const flat = squash(text);
    expect(flat).toContain('关于屯留经济技术开发区（文书测试）区域文物保护工作的意见');
    expect(flat).toContain('晋文物函〔2026〕12号');
    expect(flat).toContain('屯留经济技术开发区管理委员会：');
    expect(flat).toContain('2026年11月27日');
    expect(flat).toContain('山西省文物局');
  });

  it('prints the area of each area, each category and the whole zone in 亩 and 公顷 (ellipsoidal areas)', () => {
    const flat = squash(text);
    for (const a of zoning.areas) {
      expect(flat).toContain(`${a.label}${mu(a.areaM2)}${ha(a.areaM2)}`);
    }
    const total = zoning.areas.reduce((s, a) => s + a.areaM2, 0);
    expect(total).toBeCloseTo(zoning.zoneAreaM2, 0); // the three areas cover the zone exactly
    expect(flat).toContain(`合计3处${mu(total)}${ha(total)}`);
    const avoid = zoning.areas.filter((a) => a.category === 'avoidance').reduce((s, a) => s + a.areaM2, 0);
    expect(flat).toContain(`避让区小计1处${mu(avoid)}${ha(avoid)}`);
    // 0.04° × 0.03° at 36.32°N is about 3.59 km × 3.33 km ≈ 11.96 km² ≈ 17 940 亩 (Web Mercator would say ~1.55× that)
    expect(Number(mu(total))).toBeGreaterThan(17800);
    expect(Number(mu(total))).toBeLessThan(18100);
  });

  it('prints the boundary-point table of each avoidance and exploration area: J-numbers, X northing, Y easting with the 38 prefix', () => {
    const flat = squash(text);
    expect(flat).toContain('界址点坐标表');
    expect(flat).toContain('3度带第38带，中央经线114°');
    expect(gkTables).toHaveLength(2);
    for (const t of gkTables) {
      for (const p of t.rings.flat()) {
        expect(flat).toContain(`J${p.no}${p.x.toFixed(3)}${p.y.toFixed(3)}`);
        expect(p.y.toFixed(3)).toMatch(/^38\d{6}\.\d{3}$/);
      }
    }
    // release areas get no coordinate table
    const release = zoning.areas.find((a) => a.category === 'release')!;
    expect(flat).not.toContain(`${release.label}（释放区`);
  });

  it('states the release conditions: written commitment letter, stop work, report, resume only after protection measures', () => {
    const flat = squash(text);
    expect(flat).toContain('书面承诺书');
    expect(flat).toContain('必须立即停止施工');
    expect(flat).toContain('及时上报文物主管部门');
    expect(flat).toContain('待采取文物保护措施后');
  });

  it('numbers every page in the footer', async () => {
    const pages = await pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(squash(await pdfText(pdf, pages))).toContain(`—${pages}—共${pages}页`);
  });

  it('draws the map as vectors: the map page is not blank when rasterised (grey PGM)', async () => {
    expect(mapPage).toBeGreaterThan(0);
    const img = await renderPage(pdf, mapPage, { dpi: 50, gray: true });
    expect(img.channels).toBe(1);
    // the map frame fills the middle of the page; count ink in its centre
    let ink = 0;
    let total = 0;
    for (let y = Math.round(img.height * 0.3); y < img.height * 0.7; y++) {
      for (let x = Math.round(img.width * 0.2); x < img.width * 0.8; x++) {
        total++;
        if (img.data[y * img.width + x]! < 235) ink++;
      }
    }
    expect(ink / total).toBeGreaterThan(0.5);
    // and nothing on that page is an embedded raster image
    expect(pdf.includes(Buffer.from('/Subtype /Image'))).toBe(false);
  });

  it('fills the areas in the web map colours, in proportion to their ground areas (colour PPM)', async () => {
    const img = await renderPage(pdf, mapPage, { dpi: 60 });
    expect(img.channels).toBe(3);
    const counts = countHues(img);
    const sum = counts.red + counts.amber + counts.green;
    expect(counts.red).toBeGreaterThan(500);
    expect(counts.amber).toBeGreaterThan(500);
    expect(counts.green).toBeGreaterThan(500);
    const total = zoning.areas.reduce((s, a) => s + a.areaM2, 0);
    const share = (c: string) => zoning.areas.filter((a) => a.category === c).reduce((s, a) => s + a.areaM2, 0) / total;
    expect(counts.red / sum).toBeCloseTo(share('avoidance'), 1);
    expect(counts.amber / sum).toBeCloseTo(share('exploration'), 1);
    expect(counts.green / sum).toBeCloseTo(share('release'), 1);
  });

  it('shows a legend, a scale bar with its ratio and a north arrow on the map page', async () => {
    const page = squash(await pdfText(pdf, mapPage));
    for (const s of ['图例', '开发区边界', '避让区', '勘探区', '释放区', '比例尺1:', '北']) expect(page).toContain(s);
    expect(page).toMatch(/0(\d+)(m|km)/);
  });

  it('renders the same bytes for the same input (the stored SHA-256 can be re-checked), different bytes for another number', async () => {
    const again = await renderOpinionPdf(input);
    expect(sha256(again)).toBe(sha256(pdf));
    const other = await renderOpinionPdf({ ...input, documentNumber: '晋文物函〔2026〕13号' });
    expect(sha256(other)).not.toBe(sha256(pdf));
  });

  it('tells the operator to install fonts-noto-cjk when the CJK fonts are missing', () => {
    expect(() => loadCjkFonts(['/nonexistent/fonts'])).toThrow(CjkFontMissingError);
    expect(() => loadCjkFonts(['/nonexistent/fonts'])).toThrow(/apt-get install fonts-noto-cjk/);
  });
});
