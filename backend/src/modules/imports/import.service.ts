import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { AppException } from '../../infra/http/app-exception';
import type { Language } from '../../infra/i18n/language';
import { MessageTable, registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { LayerCache } from '../layers/layer-cache.service';
import { formatImportMessage, ImportError, importErrorMessages, type ImportMessageParams } from './import-errors';
import { resolveImportLimits, type ImportLimits } from './import-limits';
import { parseImport } from './import-preview';
import { ImportTarget, ImportTargetRegistry } from './import-target.registry';
import { ImportCommitDto, ImportCommitResultDto, ImportPreviewDto, ImportWarningDto } from './import.dto';
import { ImportRecord, ImportRepository } from './import.repository';
import { importWarningMessages, type ImportWarning } from './parsed-layer';
import { toFeatureCollection, transformToCgcs2000 } from './postgis-transform';

/** A preview can be committed for this long; after that the user uploads again. */
export const IMPORT_TTL_MS = 24 * 3600 * 1000;

// The parser's error codes keep their names in the API ({ code: 'zip_unsafe_path', … }).
registerMessages(importErrorMessages);
registerMessages({
  import_file_missing: { 'zh-CN': '请选择要导入的文件（表单字段 file）。', en: 'Choose a file to import (form field "file").' },
  import_one_file: { 'zh-CN': '一次只能导入一个文件。', en: 'Import one file at a time.' },
  import_field_invalid: { 'zh-CN': '表单字段 {field} 的值“{value}”无效：{expected}', en: 'Form field {field} has an invalid value "{value}": {expected}' },
  import_not_found: { 'zh-CN': '导入记录不存在或已被清理，请重新上传文件。', en: 'No such import (or it was cleaned up); please upload the file again.' },
  import_expired: { 'zh-CN': '预览已过期（超过 24 小时），请重新上传文件。', en: 'The preview has expired (older than 24 hours); please upload the file again.' },
  import_already_committed: {
    'zh-CN': '该导入已于 {committedAt} 提交到“{target}”，不能重复提交。',
    en: 'This import was already committed to "{target}" at {committedAt}; it cannot be committed twice.',
  },
  import_target_unknown: { 'zh-CN': '导入目标“{target}”不存在（可用：{targets}）。', en: 'No import target "{target}" (available: {targets}).' },
  import_feature_index_unknown: {
    'zh-CN': '所选要素 {indexes} 不存在（文件共 {count} 个要素，编号从 0 开始）。',
    en: 'The chosen features {indexes} do not exist (the file has {count} features, numbered from 0).',
  },
  import_geometry_type_refused: {
    'zh-CN': '第 {numbers} 个要素是{types}，不能导入到“{target}”（只接受{accepted}），请取消选择这些要素。',
    en: 'Features {numbers} are {types}, which "{target}" does not take (it accepts {accepted}); leave them out.',
  },
  import_invalid_geometry_refused: {
    'zh-CN': '第 {numbers} 个要素的图形无效，不能提交。请修正文件后重新上传，或在预览时选择“自动修复”。',
    en: 'Features {numbers} have invalid geometries and cannot be committed. Fix the file, or preview again with repair.',
  },
  import_empty_geometry_refused: {
    'zh-CN': '第 {numbers} 个要素修复后图形为空，不能提交，请取消选择。',
    en: 'Features {numbers} are empty after repair and cannot be committed; leave them out.',
  },
});

/** Warnings the HTTP layer adds to the parser's own. */
const SERVICE_WARNINGS: MessageTable = {
  geometry_type_not_accepted: {
    'zh-CN': '第 {numbers} 个要素是{types}，“{target}”只接受{accepted}，提交时请不要选择这些要素。',
    en: 'Features {numbers} are {types}; "{target}" accepts only {accepted}, so leave them out when committing.',
  },
};

const GEOMETRY_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  Point: { 'zh-CN': '点', en: 'points' },
  MultiPoint: { 'zh-CN': '多点', en: 'multi-points' },
  LineString: { 'zh-CN': '线', en: 'lines' },
  MultiLineString: { 'zh-CN': '多线', en: 'multi-lines' },
  Polygon: { 'zh-CN': '面', en: 'polygons' },
  MultiPolygon: { 'zh-CN': '多面', en: 'multi-polygons' },
  GeometryCollection: { 'zh-CN': '几何集合', en: 'geometry collections' },
};

const geometryNames = (types: readonly string[], lang: Language): string =>
  [...new Set(types)].map((t) => GEOMETRY_NAMES[t]?.[lang] ?? t).join(lang === 'zh-CN' ? '、' : ', ');

/** "1、2、3 …（共 40 个）" — feature numbers as people count them (from 1), at most 20 listed. */
function featureNumbers(indexes: number[], lang: Language): string {
  const shown = indexes.slice(0, 20).map((i) => i + 1).join(lang === 'zh-CN' ? '、' : ', ');
  if (indexes.length <= 20) return shown;
  return lang === 'zh-CN' ? `${shown} 等（共 ${indexes.length} 个）` : `${shown} … (${indexes.length} in all)`;
}

/**
 * A few warning parameters come from the parser as "中文 / English" pairs; each language gets its half.
 * Only these known parameters are split (others may contain " / " legitimately, e.g. EPSG lists).
 */
const BILINGUAL_PARAMS: Partial<Record<string, string[]>> = { axis_swapped: ['action'], no_crs: ['detail', 'suggestionText'] };

function localParams(code: string, params: ImportMessageParams, lang: Language): ImportMessageParams {
  const keys = BILINGUAL_PARAMS[code];
  if (!keys) return params;
  const out: ImportMessageParams = { ...params };
  for (const key of keys) {
    const value = params[key];
    if (typeof value !== 'string' || !value.includes(' / ')) continue;
    const cut = value.indexOf(' / ');
    const zh = value.slice(0, cut);
    let en = value.slice(cut + 3);
    // keep the surrounding punctuation of the Chinese half in English form
    if (zh.startsWith('（')) en = ` (${en.replace(/）$/, '')})`;
    else if (zh.startsWith('，')) en = `, ${en}`;
    out[key] = lang === 'zh-CN' ? zh : en;
  }
  return out;
}

/** What the service stores per warning: the parser's warnings plus its own, translated on the way out. */
type StoredWarning = ImportWarning | { code: 'geometry_type_not_accepted'; params: ImportMessageParams; featureIndexes: number[]; types: string[]; target: string; accepted: string[] };

export function translateWarning(w: StoredWarning, lang: Language): ImportWarningDto {
  if (w.code === 'geometry_type_not_accepted') {
    const template = SERVICE_WARNINGS.geometry_type_not_accepted![lang];
    return {
      code: w.code,
      message: formatImportMessage(template, {
        numbers: featureNumbers(w.featureIndexes, lang), types: geometryNames(w.types, lang), target: w.target, accepted: geometryNames(w.accepted, lang),
      }),
      featureIndexes: w.featureIndexes,
    };
  }
  const dto: ImportWarningDto = { code: w.code, message: formatImportMessage(importWarningMessages[w.code][lang], localParams(w.code, w.params, lang)) };
  if (w.featureIndex !== undefined) dto.featureIndex = w.featureIndex;
  if (w.code === 'invalid_geometry' && typeof w.params.reason === 'string') dto.reason = w.params.reason;
  if (w.location) dto.location = w.location;
  return dto;
}

/**
 * ImportError → the API's AppException. Every placeholder of both templates gets a value so no `{hint}`
 * reaches a user when the parser leaves an optional parameter out.
 */
export function toAppException(e: ImportError, details?: unknown): AppException {
  const templates = importErrorMessages[e.code];
  const params: Record<string, unknown> = {};
  for (const t of [templates['zh-CN'], templates.en]) for (const m of t.matchAll(/\{(\w+)\}/g)) params[m[1]!] = '';
  for (const [k, v] of Object.entries(e.params)) if (v !== undefined && v !== null) params[k] = v;
  return new AppException(e.code, e.status, params, details);
}

export interface PreviewFields {
  srid?: number;
  swapXY?: boolean;
  repair: boolean;
  target?: string;
}

@Injectable()
export class ImportService {
  private readonly logger = new Logger('Imports');
  readonly limits: ImportLimits = resolveImportLimits();

  constructor(
    private readonly db: DataSource,
    private readonly repo: ImportRepository,
    private readonly targets: ImportTargetRegistry,
    private readonly audit: AuditService,
    private readonly layerCache: LayerCache,
    private readonly clock: Clock,
  ) {}

  private target(name: string): ImportTarget {
    const t = this.targets.get(name);
    if (!t) throw new AppException('import_target_unknown', 400, { target: name, targets: this.targets.names().join(', ') || '—' });
    return t;
  }

  private tooLarge(sizeBytes: number | null): AppException {
    const limitMb = (this.limits.maxFileBytes / 1048576).toFixed(1);
    return toAppException(new ImportError('file_too_large', { sizeMb: sizeBytes === null ? `> ${limitMb}` : (sizeBytes / 1048576).toFixed(1), limitMb }));
  }

  /**
   * Reads the multipart body: one file part (`file`) and the small option fields, in any order. The file
   * is collected while its bytes are counted and the upload is refused as soon as it passes the limit, so
   * an oversized file is never held in memory.
   */
  async readUpload(req: FastifyRequest): Promise<{ buffer: Buffer; filename: string; fields: PreviewFields }> {
    const declared = Number(req.headers['content-length']);
    // the whole body declared larger than the file limit plus room for the form fields: refuse unread
    if (Number.isFinite(declared) && declared > this.limits.maxFileBytes + 64 * 1024) throw this.tooLarge(declared);
    const raw: Record<string, string> = {};
    let file: { buffer: Buffer; filename: string } | null = null;
    try {
      const parts = req.parts({ limits: { fileSize: this.limits.maxFileBytes + 1, files: 1, fields: 10, fieldSize: 1024 }, throwFileSizeLimit: false } as never);
      for await (const part of parts) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file') throw new AppException('import_field_invalid', 400, { field: part.fieldname, value: part.filename, expected: 'file' });
          file = { buffer: await this.collect(part.file), filename: part.filename || 'upload' };
        } else {
          raw[part.fieldname] = String(part.value);
        }
      }
    } catch (error) {
      if (error instanceof AppException) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'FST_FILES_LIMIT') throw new AppException('import_one_file', 400);
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw this.tooLarge(null);
      throw error;
    }
    if (!file) throw new AppException('import_file_missing', 400);
    return { ...file, fields: this.parseFields(raw) };
  }

  private async collect(stream: Readable & { truncated?: boolean }): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // fileSize is one byte over the limit: that byte arriving means "too large", decided while the rest
      // is still on the wire (busboy would only end a truncated stream after draining the whole part)
      if (size > this.limits.maxFileBytes || stream.truncated) throw this.tooLarge(null);
      chunks.push(chunk);
    }
    if (stream.truncated) throw this.tooLarge(null);
    return Buffer.concat(chunks, size);
  }

  private parseFields(raw: Record<string, string>): PreviewFields {
    const fields: PreviewFields = { repair: false };
    const invalid = (field: string, expected: string) => new AppException('import_field_invalid', 400, { field, value: raw[field]!.slice(0, 40), expected });
    if (raw.srid !== undefined && raw.srid !== '') {
      const srid = /^(EPSG:)?\d{4,5}$/i.test(raw.srid.trim()) ? Number(raw.srid.trim().replace(/^EPSG:/i, '')) : NaN;
      if (!Number.isInteger(srid)) throw invalid('srid', 'EPSG 代码，如 4547 / an EPSG code such as 4547');
      fields.srid = srid;
    }
    if (raw.swapXY !== undefined && raw.swapXY !== '') {
      if (raw.swapXY !== 'true' && raw.swapXY !== 'false') throw invalid('swapXY', 'true / false');
      fields.swapXY = raw.swapXY === 'true';
    }
    if (raw.repair !== undefined && raw.repair !== '') {
      if (raw.repair !== 'true' && raw.repair !== 'false') throw invalid('repair', 'true / false');
      fields.repair = raw.repair === 'true';
    }
    if (raw.target) fields.target = raw.target;
    for (const name of Object.keys(raw)) {
      if (!['srid', 'swapXY', 'repair', 'target'].includes(name)) throw invalid(name, 'srid, swapXY, repair, target');
    }
    return fields;
  }

  async preview(p: Principal, upload: { buffer: Buffer; filename: string; fields: PreviewFields }, lang: Language): Promise<ImportPreviewDto> {
    const { fields } = upload;
    const target = fields.target ? this.target(fields.target) : null;
    const query = (sql: string, params: unknown[]) => this.db.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    let layer;
    let transformed;
    try {
      layer = await parseImport(upload.buffer, upload.filename, { srid: fields.srid, swapXY: fields.swapXY, limits: this.limits });
      transformed = await transformToCgcs2000(query, layer, { repair: fields.repair });
    } catch (error) {
      if (error instanceof ImportError) {
        // the CRS choices a user can pick from travel with the 422
        const suggestions = error.code === 'crs_required' && typeof error.params.suggestions === 'string' && error.params.suggestions
          ? { suggestions: error.params.suggestions.split(',').map(Number) } : undefined;
        throw toAppException(error, suggestions);
      }
      throw error;
    }
    const warnings: StoredWarning[] = [...layer.warnings, ...transformed.warnings];
    if (target) {
      const refused = transformed.features.filter((f) => !(target.geometryTypes as string[]).includes(f.geometry.type));
      if (refused.length) {
        warnings.push({
          code: 'geometry_type_not_accepted', params: {}, featureIndexes: refused.map((f) => f.index),
          types: refused.map((f) => f.geometry.type), target: target.name, accepted: target.geometryTypes,
        });
      }
    }
    const features = toFeatureCollection(transformed);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + IMPORT_TTL_MS);
    await this.repo.purgeExpired(now);
    const importId = await this.repo.insert({
      createdBy: p.userId, filename: upload.filename.slice(0, 255), format: layer.format, crsEpsg: layer.crs.epsg!,
      crsDetectedFrom: layer.crs.detectedFrom, repaired: fields.repair, features, warnings: warnings as ImportWarning[], createdAt: now, expiresAt,
    });
    this.logger.log(`import ${importId}: ${layer.format} ${upload.filename} (${upload.buffer.length} B, ${features.features.length} features, EPSG:${layer.crs.epsg}) by ${p.username}`);
    return {
      importId,
      format: layer.format,
      crs: { epsg: layer.crs.epsg!, detectedFrom: layer.crs.detectedFrom },
      featureCount: features.features.length,
      features,
      warnings: warnings.map((w) => translateWarning(w, lang)),
      expiresAt: toIsoOffset(expiresAt)!,
    };
  }

  /** The import as its creator may use it; anyone else's looks absent. */
  private async ownImport(p: Principal, id: string): Promise<ImportRecord> {
    const record = await this.repo.findById(this.db.manager, id);
    if (!record || record.createdBy !== p.userId) throw new AppException('import_not_found', 404);
    return record;
  }

  private assertCommittable(record: ImportRecord): void {
    if (record.committedAt) {
      throw new AppException('import_already_committed', 409, { target: record.committedTarget, committedAt: toIsoOffset(record.committedAt) },
        { committedAt: toIsoOffset(record.committedAt), target: record.committedTarget, written: record.committedCount });
    }
    if (record.expiresAt.getTime() <= this.clock.now().getTime()) throw new AppException('import_expired', 410);
  }

  async commit(actor: Actor, importId: string, dto: ImportCommitDto, lang: Language): Promise<ImportCommitResultDto> {
    const p = actor.principal!;
    const target = this.target(dto.target);
    const options = dto.options ?? {};
    const record = await this.ownImport(p, importId);
    this.assertCommittable(record);
    await target.assertCanWrite(p, options);

    const wanted = dto.featureIndexes ? [...new Set(dto.featureIndexes)].sort((a, b) => a - b) : null;
    const features = await this.repo.selectFeatures(this.db.manager, importId, wanted);
    if (wanted && features.length !== wanted.length) {
      const found = new Set(features.map((f) => f.index));
      const missing = wanted.filter((i) => !found.has(i));
      throw new AppException('import_feature_index_unknown', 422, { indexes: missing.slice(0, 20).join(', '), count: record.featureCount }, { featureIndexes: missing });
    }
    const wrongType = features.filter((f) => !(target.geometryTypes as string[]).includes(f.geometry.type));
    if (wrongType.length) {
      const indexes = wrongType.map((f) => f.index);
      throw new AppException('import_geometry_type_refused', 422, {
        numbers: featureNumbers(indexes, lang), types: geometryNames(wrongType.map((f) => f.geometry.type), lang),
        target: target.name, accepted: geometryNames(target.geometryTypes, lang),
      }, { featureIndexes: indexes, accepted: target.geometryTypes });
    }
    const invalid = features.filter((f) => !f.valid && !record.repaired).map((f) => f.index);
    if (invalid.length) {
      throw new AppException('import_invalid_geometry_refused', 422, { numbers: featureNumbers(invalid, lang) }, { featureIndexes: invalid });
    }
    const empty = features.filter((f) => f.empty).map((f) => f.index);
    if (empty.length) throw new AppException('import_empty_geometry_refused', 422, { numbers: featureNumbers(empty, lang) }, { featureIndexes: empty });

    const result = await this.db.transaction(async (m) => {
      // serialises concurrent commits of the same import; the second one sees it committed
      const locked = await this.repo.findById(m, importId, { lock: true });
      if (!locked) throw new AppException('import_not_found', 404);
      this.assertCommittable(locked);
      const written = await target.commit(m, actor, features.map((f) => ({ index: f.index, geometry: f.geometry, properties: f.properties })), options);
      if (!(await this.repo.markCommitted(m, importId, this.clock.now(), target.name, written.written))) {
        throw new AppException('import_already_committed', 409, { target: target.name, committedAt: '—' });
      }
      await this.audit.record(m, actor, {
        action: 'import.commit', entityType: 'import', entityId: importId,
        after: {
          target: target.name, options, filename: record.filename, format: record.format, crsEpsg: record.crsEpsg,
          featureIndexes: wanted ?? 'all', written: written.written,
          // each target audits its own records; a summary keeps this event small for bulk imports
          ...(written.ids && written.ids.length <= 1000 ? { ids: written.ids } : {}),
        },
      });
      return written;
    });
    for (const layer of target.layers ?? []) await this.layerCache.invalidate(layer);
    return { target: target.name, written: result.written, ...(result.ids ? { ids: result.ids } : {}) };
  }
}
