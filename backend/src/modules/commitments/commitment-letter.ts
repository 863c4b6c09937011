import { areaFigures } from '../spatial/geojson';

/** Everything the letter says, gathered from the plan, the zone and the signatory. */
export interface LetterFacts {
  bureauName: string;
  committeeName: string;
  zoneName: string;
  zoneCode: string;
  planVersion: number;
  documentNumber: string;
  releaseAreas: Array<{ label: string; m2: number }>;
  signatoryName: string;
  signatoryTitle: string;
  /** 2026年11月27日 (Asia/Shanghai) */
  dateZh: string;
  extraClauses: string[];
}

export interface LetterText {
  title: string;
  addressee: string;
  preamble: string;
  clauses: string[];
  closing: string;
  signature: string[];
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六'];

/**
 * The obligations every letter carries (DOMAIN.md §1: stop work, protect, report, resume only after
 * protection measures), worded as a committee writes to the provincial bureau. Extra clauses the
 * committee adds follow them; the standard ones cannot be edited away.
 */
export const STANDARD_CLAUSES: readonly string[] = [
  '释放区内土地出让后进行建设时，如新发现地下文物遗存或者疑似文物遗存，必须立即停止施工，保护好现场，并及时上报文物主管部门，不得隐匿、哄抢、私分或者破坏。',
  '文物主管部门到达现场、提出处理意见并采取文物保护措施后，方可恢复施工建设；未经文物主管部门同意，不擅自复工。',
  '在土地出让合同和建设项目相关文件中载明上述文物保护义务，并书面告知土地受让人、建设单位和施工单位，督促其严格履行。',
  '严格执行分区管控要求：避让区内不安排建设项目；勘探区未经考古勘探并确认无文物遗存的，不办理土地出让。',
  '建立施工期文物保护巡查和报告制度，明确专人负责，配合文物部门开展监督检查，并如实提供相关资料。',
  '因违反本承诺造成文物损毁或者灭失的，本单位依法承担相应责任。',
];

export function totalReleaseMu(areas: LetterFacts['releaseAreas']): string {
  return areaFigures(areas.reduce((s, a) => s + a.m2, 0)).areaMu.toFixed(2);
}

/** The letter as text; the PDF and the API preview both come from this, so they cannot disagree. */
export function composeLetter(f: LetterFacts): LetterText {
  const clauses = [...STANDARD_CLAUSES, ...f.extraClauses.map((c) => c.trim()).filter(Boolean)].map(
    (c, i) => `${NUMERALS[i] ?? String(i + 1)}、${c}`,
  );
  return {
    title: `${f.zoneName}释放区文物保护承诺书`,
    addressee: `${f.bureauName}：`,
    preamble:
      `根据贵局《${f.zoneName}分类文物保护工作意见》（${f.documentNumber}，分区方案第${f.planVersion}版），` +
      `${f.zoneName}规划范围内划定释放区${f.releaseAreas.length}处，面积合计${totalReleaseMu(f.releaseAreas)}亩。` +
      `为落实“考古前置”改革要求，依照《中华人民共和国文物保护法》的有关规定，${f.committeeName}对上述释放区的土地出让和建设郑重承诺如下：`,
    clauses,
    closing: '特此承诺。',
    signature: [`承诺单位：${f.committeeName}（盖章）`, `签署人：${f.signatoryName}（${f.signatoryTitle}）`, `日期：${f.dateZh}`],
  };
}

export function letterToPlainText(t: LetterText): string {
  return [t.title, '', t.addressee, t.preamble, ...t.clauses, t.closing, '', ...t.signature].join('\n');
}
