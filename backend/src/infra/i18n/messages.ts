import { Language } from './language';

export type MessageTable = Record<string, { 'zh-CN': string; en: string }>;

/** Messages shared by every module; features add theirs with registerMessages(). */
const table: MessageTable = {
  internal_error: { 'zh-CN': '服务器内部错误，请稍后重试（编号 {correlationId}）', en: 'Internal server error, please retry later (ref {correlationId})' },
  validation_failed: { 'zh-CN': '提交的数据有误，请检查标出的字段', en: 'The submitted data is invalid; check the fields listed' },
  not_found: { 'zh-CN': '未找到请求的资源', en: 'The requested resource was not found' },
  route_not_found: { 'zh-CN': '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },
  unauthenticated: { 'zh-CN': '请先登录', en: 'Please sign in first' },
  token_invalid: { 'zh-CN': '登录凭证无效或已过期，请重新登录', en: 'Your session is invalid or has expired; please sign in again' },
  api_key_invalid: { 'zh-CN': 'API 密钥无效或已被吊销', en: 'The API key is invalid or has been revoked' },
  forbidden_role: { 'zh-CN': '您的角色无权执行此操作', en: 'Your role may not perform this action' },
  forbidden_scope: { 'zh-CN': '该数据不在您的管辖范围内', en: 'This record is outside your scope' },
  conflict_state: {
    'zh-CN': '当前状态为“{state}”，不能执行“{action}”；可执行的操作：{allowed}',
    en: 'The current state is "{state}"; "{action}" is not allowed. Allowed actions: {allowed}',
  },
  conflict_stale: { 'zh-CN': '数据已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
  precondition_required: { 'zh-CN': '修改前必须提供 If-Match 头（当前版本的 ETag）', en: 'An If-Match header with the current ETag is required' },
  payload_too_large: { 'zh-CN': '上传内容过大（上限 {limit}）', en: 'The upload is too large (limit {limit})' },
  unsupported_media_type: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  malformed_json: { 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  rate_limited: { 'zh-CN': '请求过于频繁，请在 {retryAfter} 秒后重试', en: 'Too many requests; retry in {retryAfter} s' },
  timestamp_offset_required: {
    'zh-CN': '时间必须是带时区偏移的 ISO 8601 格式，例如 2026-11-27T08:30:00+08:00',
    en: 'Timestamps must be ISO 8601 with an offset, e.g. 2026-11-27T08:30:00+08:00',
  },
};

/** Field-level messages keyed by class-validator constraint names. */
const constraintTable: MessageTable = {
  isString: { 'zh-CN': '必须是文本', en: 'must be a string' },
  isNotEmpty: { 'zh-CN': '不能为空', en: 'must not be empty' },
  isDefined: { 'zh-CN': '必填', en: 'is required' },
  isUuid: { 'zh-CN': '必须是 UUID', en: 'must be a UUID' },
  isEnum: { 'zh-CN': '取值不在允许范围内：{values}', en: 'must be one of: {values}' },
  isIn: { 'zh-CN': '取值不在允许范围内：{values}', en: 'must be one of: {values}' },
  isInt: { 'zh-CN': '必须是整数', en: 'must be an integer' },
  isNumber: { 'zh-CN': '必须是数字', en: 'must be a number' },
  isBoolean: { 'zh-CN': '必须是布尔值', en: 'must be a boolean' },
  isArray: { 'zh-CN': '必须是数组', en: 'must be an array' },
  isObject: { 'zh-CN': '必须是对象', en: 'must be an object' },
  minLength: { 'zh-CN': '长度不能少于 {min}', en: 'must be at least {min} characters' },
  maxLength: { 'zh-CN': '长度不能超过 {max}', en: 'must be at most {max} characters' },
  min: { 'zh-CN': '不能小于 {min}', en: 'must not be less than {min}' },
  max: { 'zh-CN': '不能大于 {max}', en: 'must not be greater than {max}' },
  matches: { 'zh-CN': '格式不正确', en: 'has the wrong format' },
  whitelistValidation: { 'zh-CN': '不允许的字段', en: 'is not an allowed field' },
  isIsoWithOffset: {
    'zh-CN': '必须是带时区偏移的 ISO 8601 时间，例如 2026-11-27T08:30:00+08:00',
    en: 'must be an ISO 8601 timestamp with an offset, e.g. 2026-11-27T08:30:00+08:00',
  },
  isGeoJsonGeometry: { 'zh-CN': '必须是 GeoJSON 几何（{types}）', en: 'must be a GeoJSON geometry ({types})' },
  passwordPolicy: {
    'zh-CN': '密码至少 {min} 位，且包含大写字母、小写字母、数字、符号中的至少 {classes} 类',
    en: 'passwords need at least {min} characters from at least {classes} of: upper case, lower case, digits, symbols',
  },
};

export function registerMessages(messages: MessageTable): void {
  for (const [code, text] of Object.entries(messages)) {
    if (table[code] && (table[code]['zh-CN'] !== text['zh-CN'] || table[code].en !== text.en)) {
      throw new Error(`message code "${code}" registered twice with different text`);
    }
    table[code] = text;
  }
}

export function hasMessage(code: string): boolean {
  return code in table;
}

/**
 * Workflow vocabulary (a document's states and actions) in both languages, so that a message such as
 * conflict_state reads "当前状态为“已到场”" rather than showing the code. Keys are `<kind>:<code>`; each
 * transition table registers its own; the same code registered twice must mean the same thing.
 */
const terms: MessageTable = {};

export function registerTerms(kind: 'state' | 'action', entries: Record<string, { 'zh-CN': string; en: string }>): void {
  for (const [code, text] of Object.entries(entries)) {
    const key = `${kind}:${code}`;
    const existing = terms[key];
    if (existing && (existing['zh-CN'] !== text['zh-CN'] || existing.en !== text.en)) {
      throw new Error(`term "${key}" registered twice with different text`);
    }
    terms[key] = text;
  }
}

/** A message parameter translated at render time from the workflow vocabulary (falls back to the code). */
export class Term {
  constructor(
    readonly kind: 'state' | 'action',
    readonly code: string,
  ) {}

  render(lang: Language): string {
    return terms[`${this.kind}:${this.code}`]?.[lang] ?? this.code;
  }
}

function renderValue(v: unknown, lang: Language): string {
  if (v instanceof Term) return v.render(lang);
  if (Array.isArray(v)) return v.map((x) => renderValue(x, lang)).join(lang === 'zh-CN' ? '、' : ', ');
  return String(v);
}

function interpolate(template: string, lang: Language, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    if (v === undefined || v === null) return whole;
    return renderValue(v, lang);
  });
}

export function translate(code: string, lang: Language, params?: Record<string, unknown>): string {
  const entry = table[code];
  if (!entry) return code;
  return interpolate(entry[lang], lang, params);
}

export function translateConstraint(constraint: string, lang: Language, params?: Record<string, unknown>): string | null {
  const entry = constraintTable[constraint];
  return entry ? interpolate(entry[lang], lang, params) : null;
}
