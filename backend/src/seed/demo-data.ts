import { OrgType, Role, ScopeType } from '../modules/auth/roles';
import { ZoneCategory } from '../modules/zones/zones.dto';

export interface DemoDivision { code: string; name: string; nameEn: string; parent: string | null; level: 'province' | 'city' | 'county' }
export interface DemoOrg { key: string; type: OrgType; name: string; nameEn: string; division: string }
export interface DemoUser {
  username: string; displayName: string; org: string;
  roles: Array<{ role: Role; scopeType: ScopeType; division?: string; orgKey?: string }>;
  describe: string;
}
export interface DemoZone {
  code: string; name: string; nameEn: string; category: ZoneCategory; level: 'national' | 'provincial';
  division: string; committee: string | null; center: [number, number]; radiusM: number; shapeSeed: number;
}

/** Shanxi's demo areas (行政区划代码 as published). */
export const DEMO_DIVISIONS: DemoDivision[] = [
  { code: '140000', name: '山西省', nameEn: 'Shanxi', parent: null, level: 'province' },
  { code: '140100', name: '太原市', nameEn: 'Taiyuan', parent: '140000', level: 'city' },
  { code: '140400', name: '长治市', nameEn: 'Changzhi', parent: '140000', level: 'city' },
  { code: '140403', name: '潞州区', nameEn: 'Luzhou', parent: '140400', level: 'county' },
  { code: '140404', name: '上党区', nameEn: 'Shangdang', parent: '140400', level: 'county' },
  { code: '140405', name: '屯留区', nameEn: 'Tunliu', parent: '140400', level: 'county' },
  { code: '140500', name: '晋城市', nameEn: 'Jincheng', parent: '140000', level: 'city' },
  { code: '140502', name: '城区', nameEn: 'Chengqu', parent: '140500', level: 'county' },
  { code: '140521', name: '沁水县', nameEn: 'Qinshui', parent: '140500', level: 'county' },
  { code: '140522', name: '阳城县', nameEn: 'Yangcheng', parent: '140500', level: 'county' },
  { code: '140581', name: '高平市', nameEn: 'Gaoping', parent: '140500', level: 'county' },
  { code: '140600', name: '朔州市', nameEn: 'Shuozhou', parent: '140000', level: 'city' },
  { code: '140602', name: '朔城区', nameEn: 'Shuocheng', parent: '140600', level: 'county' },
  { code: '140700', name: '晋中市', nameEn: 'Jinzhong', parent: '140000', level: 'city' },
  { code: '140703', name: '太谷区', nameEn: 'Taigu', parent: '140700', level: 'county' },
  { code: '140728', name: '平遥县', nameEn: 'Pingyao', parent: '140700', level: 'county' },
];

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'bureau', type: 'bureau', name: '山西省文物局', nameEn: 'Shanxi Provincial Cultural Relics Bureau', division: '140000' },
  { key: 'institute', type: 'institute', name: '山西省考古研究院', nameEn: 'Shanxi Provincial Institute of Archaeology', division: '140000' },
  { key: 'changzhi_authority', type: 'local_authority', name: '长治市文物局', nameEn: 'Changzhi Cultural Relics Bureau', division: '140400' },
  { key: 'tunliu_authority', type: 'local_authority', name: '长治市屯留区文物局', nameEn: 'Tunliu District Cultural Relics Department', division: '140405' },
  { key: 'tunliu_committee', type: 'zone_committee', name: '屯留经济技术开发区管理委员会', nameEn: 'Tunliu ETDZ Management Committee', division: '140405' },
  { key: 'gaoping_committee', type: 'zone_committee', name: '高平经济技术开发区管理委员会', nameEn: 'Gaoping ETDZ Management Committee', division: '140581' },
  { key: 'changzhi_hitech_committee', type: 'zone_committee', name: '长治高新技术产业开发区管理委员会', nameEn: 'Changzhi Hi-tech Zone Management Committee', division: '140403' },
  { key: 'contractor', type: 'contractor', name: '山西晋通建设工程有限公司（演示）', nameEn: 'Jintong Construction Co. (demo)', division: '140405' },
];

export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', org: 'bureau', roles: [{ role: 'admin', scopeType: 'province', division: '140000' }], describe: '系统管理：用户、机构、行政区划、开发区登记' },
  { username: 'assessor', displayName: '王考古', org: 'institute', roles: [{ role: 'assessor', scopeType: 'province', division: '140000' }], describe: '评估：调查、勘探、划定分区' },
  { username: 'reviewer', displayName: '李审核', org: 'bureau', roles: [{ role: 'reviewer', scopeType: 'province', division: '140000' }], describe: '审核分区、出具意见、受理承诺书' },
  { username: 'authority', displayName: '赵文保', org: 'tunliu_authority', roles: [{ role: 'authority_officer', scopeType: 'division', division: '140405' }], describe: '屯留区文物部门：受理新发现报告' },
  { username: 'authority_city', displayName: '钱市局', org: 'changzhi_authority', roles: [{ role: 'authority_officer', scopeType: 'division', division: '140400' }], describe: '长治市文物局：接收逾期升级' },
  { username: 'committee', displayName: '孙管委', org: 'tunliu_committee', roles: [{ role: 'committee_officer', scopeType: 'org', orgKey: 'tunliu_committee' }], describe: '屯留经开区管委会：承诺书、地块、项目' },
  { username: 'contractor', displayName: '周施工', org: 'contractor', roles: [{ role: 'contractor', scopeType: 'org', orgKey: 'contractor' }], describe: '施工单位：项目状态、报告新发现' },
];

export const DEMO_ZONES: DemoZone[] = [
  { code: 'SX-CZ-TLETDZ', name: '屯留经济技术开发区', nameEn: 'Tunliu Economic and Technological Development Zone', category: 'industrial', level: 'provincial', division: '140405', committee: 'tunliu_committee', center: [112.892, 36.318], radiusM: 2200, shapeSeed: 1 },
  { code: 'SX-CZ-CZHTZ', name: '长治高新技术产业开发区', nameEn: 'Changzhi Hi-tech Industrial Development Zone', category: 'industrial', level: 'national', division: '140403', committee: 'changzhi_hitech_committee', center: [113.085, 36.172], radiusM: 2600, shapeSeed: 2 },
  { code: 'SX-JC-JCETDZ', name: '晋城经济技术开发区', nameEn: 'Jincheng Economic and Technological Development Zone', category: 'industrial', level: 'provincial', division: '140502', committee: null, center: [112.868, 35.468], radiusM: 2400, shapeSeed: 3 },
  { code: 'SX-JC-GPETDZ', name: '高平经济技术开发区', nameEn: 'Gaoping Economic and Technological Development Zone', category: 'industrial', level: 'provincial', division: '140581', committee: 'gaoping_committee', center: [112.925, 35.772], radiusM: 2000, shapeSeed: 4 },
  { code: 'SX-JC-YCETDZ', name: '阳城经济技术开发区', nameEn: 'Yangcheng Economic and Technological Development Zone', category: 'industrial', level: 'provincial', division: '140522', committee: null, center: [112.428, 35.492], radiusM: 1800, shapeSeed: 5 },
  { code: 'SX-JC-QSETDZ', name: '沁水经济技术开发区', nameEn: 'Qinshui Economic and Technological Development Zone', category: 'industrial', level: 'provincial', division: '140521', committee: null, center: [112.198, 35.702], radiusM: 1700, shapeSeed: 6 },
  { code: 'SX-SZ-DTGX', name: '朔州低碳硅芯产业园', nameEn: 'Shuozhou Low-carbon Silicon Industrial Park', category: 'industrial', level: 'provincial', division: '140602', committee: null, center: [112.452, 39.302], radiusM: 1900, shapeSeed: 7 },
  { code: 'SX-JZ-NYGX', name: '山西晋中国家农业高新技术产业示范区', nameEn: 'Jinzhong National Agricultural Hi-tech Demonstration Zone', category: 'agricultural', level: 'national', division: '140703', committee: null, center: [112.566, 37.428], radiusM: 3000, shapeSeed: 8 },
  { code: 'SX-JZ-PYWL', name: '平遥古城文化旅游区', nameEn: 'Pingyao Ancient City Cultural Tourism Zone', category: 'cultural_tourism', level: 'provincial', division: '140728', committee: null, center: [112.205, 37.168], radiusM: 1500, shapeSeed: 9 },
];
