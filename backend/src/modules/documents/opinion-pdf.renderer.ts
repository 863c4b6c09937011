import { areaFigures, M2_PER_MU } from '../spatial/geojson';
import { GkTable, gkCrsNote } from './gk-coordinates';
import {
  AreaGeometry,
  contentWidth,
  createCjkDocument,
  drawMap,
  drawTable,
  ensureSpace,
  finishDocument,
  FONT,
  heading,
  MultiPolygonGeometry,
  paragraph,
  PolygonGeometry,
  Rgb,
  TableRow,
} from './pdf-kit';

export type ZoningCategory = 'avoidance' | 'exploration' | 'release';

export interface OpinionPdfInput {
  documentNumber: string;
  issuedAt: Date;
  bureauName: string;
  committeeName: string | null;
  zone: { name: string; code: string; divisionName: string; category: string; boundary: MultiPolygonGeometry };
  plan: { version: number };
  areas: Array<{ id: string; label: string; category: ZoningCategory; geometry: PolygonGeometry; areaM2: number }>;
  gkTables: GkTable[];
  releaseConditions: string[];
}

/** The conditions of a release "on the basis of a commitment" (DOMAIN.md §1, from the source article). */
export const DEFAULT_RELEASE_CONDITIONS: readonly string[] = [
  '释放区实行承诺基础上的释放：开发区管委会须向省文物局提交书面承诺书，承诺书经省文物局接受后，释放区方可办理土地出让。',
  '土地出让后进行建设时，如新发现地下文物遗存，必须立即停止施工，保护现场，及时上报文物主管部门。',
  '文物主管部门依法在24小时内赶赴现场、7日内提出处理意见；待采取文物保护措施后，方可再进行施工建设。',
  '开发区管委会应督促建设单位和施工单位履行文物保护责任，并将上述要求告知土地受让人和施工单位。',
];

export const CATEGORY_ZH: Record<ZoningCategory, string> = { avoidance: '避让区', exploration: '勘探区', release: '释放区' };
const CATEGORY_ORDER: ZoningCategory[] = ['avoidance', 'exploration', 'release'];

/** Fill colours as in the web map (frontend/src/map/map-colors.data.ts), so paper and screen agree. */
export const CATEGORY_STYLE: Record<ZoningCategory, { fill: Rgb; stroke: string; fillOpacity: number }> = {
  avoidance: { fill: [229, 57, 53], stroke: '#c62828', fillOpacity: 0.55 },
  exploration: { fill: [255, 179, 0], stroke: '#b77900', fillOpacity: 0.55 },
  release: { fill: [67, 160, 71], stroke: '#2e7d32', fillOpacity: 0.55 },
};

const ZONE_CATEGORY_ZH: Record<string, string> = { industrial: '工业类', agricultural: '农业类', cultural_tourism: '文旅类' };

/** 2026年11月27日 — the calendar date in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDateZh(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600 * 1000);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日`;
}

export const formatMu = (m2: number): string => areaFigures(m2).areaMu.toFixed(2);
export const formatHa = (m2: number): string => areaFigures(m2).areaHa.toFixed(4);
const formatCoord = (v: number): string => v.toFixed(3);

export function opinionTitle(zoneName: string): string {
  return `关于${zoneName}区域文物保护工作的意见`;
}

/**
 * The classified cultural-relics protection opinion (分类文物保护工作意见) as an official letter: red
 * masthead with the document number, title, addressee, body, signature and date; then the zoning map
 * (vectors), the area table per category in 亩 and 公顷, the boundary-point coordinate tables of the
 * avoidance and exploration areas, and the release conditions. Same input → same bytes.
 */
export async function renderOpinionPdf(input: OpinionPdfInput): Promise<Buffer> {
  const title = opinionTitle(input.zone.name);
  const doc = createCjkDocument({
    title,
    author: input.bureauName,
    subject: `${input.zone.name} 文物保护分区（第${input.plan.version}版）`,
    keywords: input.documentNumber,
    creationDate: input.issuedAt,
  });
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const dateZh = shanghaiDateZh(input.issuedAt);
  const byCategory = (c: ZoningCategory) => input.areas.filter((a) => a.category === c);
  const sumM2 = (c: ZoningCategory) => byCategory(c).reduce((s, a) => s + a.areaM2, 0);
  const totalM2 = input.areas.reduce((s, a) => s + a.areaM2, 0);

  // ---- page 1: the letter
  doc.font(FONT.serifBold).fontSize(26).fillColor('#c00000');
  doc.text(`${input.bureauName}文件`, left, doc.page.margins.top - 20, { width, align: 'center', characterSpacing: 2 });
  doc.moveDown(0.4);
  doc.font(FONT.serif).fontSize(12).fillColor('#000000');
  doc.text(input.documentNumber, left, doc.y, { width, align: 'center' });
  const ruleY = doc.y + 6;
  doc.moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(1.6).strokeColor('#c00000').stroke();
  doc.y = ruleY + 22;
  heading(doc, title, 18);
  doc.moveDown(0.8);

  doc.font(FONT.serif).fontSize(12).fillColor('#000000');
  doc.text(`${input.committeeName ?? `${input.zone.name}管理委员会`}：`, left, doc.y, { width });
  doc.moveDown(0.3);

  const counts = CATEGORY_ORDER.map((c) => `${CATEGORY_ZH[c]}${byCategory(c).length}处，面积${formatMu(sumM2(c))}亩（${formatHa(sumM2(c))}公顷）`).join('；');
  paragraph(
    doc,
    `根据《中华人民共和国文物保护法》第二十四条、第四十三条和我省开发区“考古前置”改革的要求，我局组织省级考古研究机构联合市县文物部门，` +
      `对${input.zone.name}（${ZONE_CATEGORY_ZH[input.zone.category] ?? input.zone.category}开发区，代码${input.zone.code}，位于${input.zone.divisionName}）` +
      `开展了区域文物保护评估，通过拉网式调查、大孔距实探和多学科评估，形成了文物保护分区方案（第${input.plan.version}版）。现将分类文物保护工作意见函告如下：`,
  );
  paragraph(doc, `一、分区结果。开发区规划范围共划定${counts}；合计${formatMu(totalM2)}亩（${formatHa(totalM2)}公顷）。分区范围见附图，面积见附表1，界址点坐标见附表2。`);
  paragraph(doc, '二、避让区。避让区内埋藏有重要文物遗存，应当整体避让，不得安排建设项目，不得进行取土、平整土地等可能危及文物安全的活动，并纳入国土空间规划予以保护。');
  paragraph(doc, '三、勘探区。勘探区在土地出让和工程建设前，须依法报请开展考古调查、勘探；考古调查、勘探完成并经文物部门确认前，不得进行工程建设。');
  paragraph(doc, '四、释放区。释放区实行承诺基础上的释放，具体条件如下：');
  input.releaseConditions.forEach((c, i) => paragraph(doc, `（${i + 1}）${c}`));
  paragraph(doc, `五、本意见所附界址点坐标采用2000国家大地坐标系高斯-克吕格投影3度分带，X为纵坐标（北向），Y为横坐标（东向，含带号）。分区方案如需调整，须报我局重新审定。`);
  paragraph(doc, '特此函告。', 12, { gap: 18 });

  ensureSpace(doc, 60);
  doc.font(FONT.serif).fontSize(12).fillColor('#000000');
  doc.text(input.bureauName, left, doc.y, { width: width - 24, align: 'right' });
  doc.text(dateZh, left, doc.y + 4, { width: width - 24, align: 'right' });

  // ---- attachment: the zoning map
  doc.addPage();
  doc.font(FONT.sans).fontSize(11).fillColor('#000000').text('附图', left, doc.y);
  heading(doc, `${input.zone.name}文物保护分区图`, 15);
  doc.moveDown(0.5);
  const mapTop = doc.y;
  const mapHeight = doc.page.height - doc.page.margins.bottom - mapTop - 30;
  const areaFeatures = CATEGORY_ORDER.flatMap((c) =>
    byCategory(c).map((a) => ({ geometry: a.geometry as AreaGeometry, ...CATEGORY_STYLE[c], lineWidth: 0.6, label: a.label })),
  );
  const proj = drawMap(doc, {
    x: left,
    y: mapTop,
    width,
    height: mapHeight,
    features: [
      { geometry: input.zone.boundary, fill: [250, 250, 250], fillOpacity: 1, stroke: '#000000', lineWidth: 0.5 },
      ...areaFeatures,
      { geometry: input.zone.boundary, fill: null, stroke: '#1a237e', lineWidth: 1.6, dash: 6 },
    ],
    legend: [
      { label: '开发区边界', fill: null, stroke: '#1a237e', dash: 6 },
      ...CATEGORY_ORDER.map((c) => ({ label: CATEGORY_ZH[c], ...CATEGORY_STYLE[c] })),
    ],
  });
  doc.font(FONT.sans).fontSize(8).fillColor('#333333');
  doc.text(
    `注：矢量绘制，局部等距圆柱投影（中央纬线处按CGCS2000椭球曲率半径换算），比例尺约1:${Math.round(proj.scaleDenominator / 100) * 100}；` +
      `分区方案第${input.plan.version}版；文号${input.documentNumber}。`,
    left,
    mapTop + mapHeight + 6,
    { width },
  );

  // ---- attachment 1: area table
  doc.addPage();
  doc.font(FONT.sans).fontSize(11).fillColor('#000000').text('附表1', left, doc.y);
  heading(doc, `${input.zone.name}文物保护分区面积统计表`, 15);
  doc.moveDown(0.6);
  const rows: TableRow[] = [];
  for (const c of CATEGORY_ORDER) {
    const list = [...byCategory(c)].sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    for (const a of list) rows.push({ cells: [CATEGORY_ZH[c], a.label, formatMu(a.areaM2), formatHa(a.areaM2)] });
    rows.push({ cells: [`${CATEGORY_ZH[c]}小计`, `${list.length}处`, formatMu(sumM2(c)), formatHa(sumM2(c))], emphasis: true });
  }
  rows.push({ cells: ['合计', `${input.areas.length}处`, formatMu(totalM2), formatHa(totalM2)], emphasis: true });
  drawTable(
    doc,
    [
      { header: '类别', width: width * 0.22, align: 'center' },
      { header: '编号／名称', width: width * 0.34 },
      { header: '面积（亩）', width: width * 0.22, align: 'right' },
      { header: '面积（公顷）', width: width * 0.22, align: 'right' },
    ],
    rows,
  );
  doc.font(FONT.sans).fontSize(8).fillColor('#333333');
  doc.text(`注：面积按CGCS2000椭球面计算，1亩＝${M2_PER_MU.toFixed(2)}平方米（10000/15），1公顷＝10000平方米；小计与合计由平方米数汇总后换算。`, left, doc.y, { width });

  // ---- attachment 2: boundary-point coordinate tables (avoidance and exploration)
  const labelOf = new Map(input.areas.map((a) => [a.id, a]));
  const tables = input.gkTables
    .filter((t) => t.category === 'avoidance' || t.category === 'exploration')
    .sort((a, b) => CATEGORY_ORDER.indexOf(a.category as ZoningCategory) - CATEGORY_ORDER.indexOf(b.category as ZoningCategory));
  doc.addPage();
  doc.font(FONT.sans).fontSize(11).fillColor('#000000').text('附表2', left, doc.y);
  heading(doc, `${input.zone.name}避让区、勘探区界址点坐标表`, 15);
  doc.moveDown(0.4);
  if (tables.length === 0) {
    paragraph(doc, '本分区方案未划定避让区和勘探区。', 11, { indent: false });
  }
  for (const t of tables) {
    const label = t.label || labelOf.get(t.areaId)?.label || t.areaId;
    const area = labelOf.get(t.areaId);
    ensureSpace(doc, 80);
    doc.font(FONT.serifBold).fontSize(11.5).fillColor('#000000');
    doc.text(`${label}（${CATEGORY_ZH[t.category as ZoningCategory] ?? t.category}${area ? `，${formatMu(area.areaM2)}亩` : ''}）`, left, doc.y, { width });
    doc.moveDown(0.2);
    const rows: string[][] = [];
    t.rings.forEach((ring, ringIndex) => {
      for (const p of ring) rows.push([`J${p.no}`, formatCoord(p.x), formatCoord(p.y)]);
      // close the ring as surveyors do: the first point again, unnumbered as a new point
      const firstPoint = ring[0];
      if (firstPoint) rows.push([`J${firstPoint.no}`, formatCoord(firstPoint.x), formatCoord(firstPoint.y)]);
      if (ringIndex + 1 < t.rings.length) rows.push(['（内环）', '', '']);
    });
    drawTable(
      doc,
      [
        { header: '点号', width: width * 0.2, align: 'center' },
        { header: 'X（m）', width: width * 0.4, align: 'right' },
        { header: 'Y（m）', width: width * 0.4, align: 'right' },
      ],
      rows,
      { fontSize: 9.5, padding: 2.5 },
    );
    doc.font(FONT.sans).fontSize(8).fillColor('#333333');
    doc.text(`坐标系：${gkCrsNote(t)}（EPSG:${t.epsg}）；共${t.rings.reduce((s, r) => s + r.length, 0)}个界址点。`, left, doc.y, { width });
    doc.moveDown(0.8);
  }

  return finishDocument(doc, {
    header: (page) => (page === 1 ? null : `${input.documentNumber}　${title}`),
    footer: (page, pages) => `— ${page} —　共${pages}页`,
  });
}
