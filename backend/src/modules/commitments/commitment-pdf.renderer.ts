import { shanghaiDateZh } from '../documents/opinion-pdf.renderer';
import { createCjkDocument, drawTable, ensureSpace, finishDocument, FONT, heading, paragraph, TableRow, contentWidth } from '../documents/pdf-kit';
import { areaFigures } from '../spatial/geojson';
import { LetterFacts, LetterText } from './commitment-letter';

export { shanghaiDateZh };

/**
 * The signed letter as a PDF (CJK fonts, A4, GB/T 9704 margins): the text, then the release areas it
 * covers with their areas in 亩 and hectares. Deterministic for the same input (creation date = signing
 * time), so the recorded SHA-256 identifies exactly this document.
 */
export async function renderCommitmentPdf(facts: LetterFacts, text: LetterText, meta: { commitmentId: string; signedAt: Date }): Promise<Buffer> {
  const doc = createCjkDocument({
    title: text.title,
    author: facts.committeeName,
    subject: `承诺书 ${facts.zoneCode} 分区方案第${facts.planVersion}版 ${facts.documentNumber}`,
    keywords: '考古前置, 承诺书, 释放区',
    creationDate: meta.signedAt,
  });
  heading(doc, text.title, 20);
  doc.moveDown(1.2);
  doc.font(FONT.serif).fontSize(14).fillColor('#000000');
  doc.text(text.addressee, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
  paragraph(doc, text.preamble, 14);
  for (const c of text.clauses) paragraph(doc, c, 14);
  paragraph(doc, text.closing, 14);
  doc.moveDown(0.8);

  ensureSpace(doc, 90);
  doc.font(FONT.serifBold).fontSize(12).text('附：本承诺书所涉释放区', doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
  const w = contentWidth(doc);
  const totalM2 = facts.releaseAreas.reduce((s, a) => s + a.m2, 0);
  const rows: Array<TableRow | string[]> = facts.releaseAreas.map((a, i) => {
    const f = areaFigures(a.m2);
    return [String(i + 1), a.label, f.areaMu.toFixed(2), f.areaHa.toFixed(4)];
  });
  const t = areaFigures(totalM2);
  rows.push({ cells: ['', '合计', t.areaMu.toFixed(2), t.areaHa.toFixed(4)], emphasis: true });
  drawTable(doc, [
    { header: '序号', width: w * 0.1, align: 'center' },
    { header: '释放区', width: w * 0.46 },
    { header: '面积（亩）', width: w * 0.22, align: 'right' },
    { header: '面积（公顷）', width: w * 0.22, align: 'right' },
  ], rows, { fontSize: 10.5 });
  doc.font(FONT.sans).fontSize(8.5).fillColor('#444444');
  doc.text('面积按 CGCS2000 椭球面计算，1 亩 = 10000/15 平方米。', doc.page.margins.left, doc.y, { width: w });
  doc.moveDown(1.5);

  ensureSpace(doc, 110);
  doc.font(FONT.serif).fontSize(14).fillColor('#000000');
  for (const line of text.signature) {
    doc.text(line, doc.page.margins.left + w * 0.4, doc.y, { width: w * 0.6, align: 'left' });
    doc.moveDown(0.5);
  }
  return finishDocument(doc, {
    header: (page) => (page === 1 ? null : `${facts.zoneName} · 释放区文物保护承诺书`),
    footer: (page, pages) => `第 ${page} 页 / 共 ${pages} 页　　承诺书编号 ${meta.commitmentId}`,
  });
}
