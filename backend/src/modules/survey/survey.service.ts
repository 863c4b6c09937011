import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { AppException, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { StoragePort } from '../../infra/storage/storage.port';
import { AssessmentsService } from '../assessments/assessments.service';
import { evidencePredicate } from '../assessments/evidence-scope';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { ImportFeature } from '../imports/import-target.registry';
import { LayerCache } from '../layers/layer-cache.service';
import { ZonesService } from '../zones/zones.service';
import { PHOTO_MAX_BYTES, sniffPhotoType } from './photo-type';
import {
  CoverageDto, CreateObservationDto, CreateTrackDto, OBSERVATION_KINDS, ObservationDto, ObservationKind, TrackDto, UpdateObservationDto,
} from './survey.dto';
import { ObservationInsert, SurveyRepository, TrackInsert } from './survey.repository';

registerMessages({
  observation_not_found: { 'zh-CN': '调查记录不存在', en: 'No such survey observation' },
  file_not_found: { 'zh-CN': '文件不存在', en: 'No such file' },
  photo_missing: { 'zh-CN': '请在表单字段 file 中上传照片', en: 'Upload the photo in the multipart field "file"' },
  photo_type_unsupported: {
    'zh-CN': '照片只能是 JPEG、PNG 或 WebP 图片（按文件内容识别，与文件名无关）',
    en: 'Photos must be JPEG, PNG or WebP images (recognised by their content, not their name)',
  },
  photo_too_large: { 'zh-CN': '照片过大（上限 {limit}）', en: 'The photo is too large (limit {limit})' },
  import_invalid_geometries: {
    'zh-CN': '有 {count} 个要素的几何图形无效（第一个：第 {first} 个，{reason}）',
    en: '{count} features have invalid geometry (first: #{first}, {reason})',
  },
  import_option_missing: { 'zh-CN': '导入选项缺少 {option}', en: 'The import options need {option}' },
  import_observation_kind_unknown: {
    'zh-CN': '调查记录类型无法识别（要素 {indexes}）；可用：地表遗物 surface_scatter、断面 section_exposure、文物核查 relic_check',
    en: 'Unknown observation kind (features {indexes}); use surface_scatter, section_exposure or relic_check',
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kind names as they appear in field sheets (Chinese or English) → the stored identifier. */
const KIND_ALIASES: Record<string, ObservationKind> = {
  surface_scatter: 'surface_scatter', 地表遗物: 'surface_scatter', 地表散布: 'surface_scatter', 地表采集: 'surface_scatter',
  section_exposure: 'section_exposure', 断面: 'section_exposure', 剖面: 'section_exposure', 断崖剖面: 'section_exposure',
  relic_check: 'relic_check', 文物核查: 'relic_check', 文物复查: 'relic_check', 不可移动文物核查: 'relic_check',
};

function text(v: unknown, max: number): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s ? s.slice(0, max) : null;
}

export function assessmentIdOption(options: Record<string, unknown>): string {
  const id = options.assessmentId;
  if (typeof id !== 'string' || !UUID.test(id)) throw new AppException('import_option_missing', 400, { option: 'assessmentId' });
  return id;
}

@Injectable()
export class SurveyService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: SurveyRepository,
    private readonly assessments: AssessmentsService,
    private readonly zones: ZonesService,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly layerCache: LayerCache,
  ) {}

  /** Cached tiles of a layer are stale once a write commits; called after each committing write. */
  private async invalidateLayer(name: 'survey-tracks' | 'observations'): Promise<void> {
    await this.layerCache.invalidate(name);
  }

  // ── tracks ───────────────────────────────────────────────────────────────────────────────────────
  async createTrack(actor: Actor, assessmentId: string, dto: CreateTrackDto): Promise<TrackDto> {
    const track = await this.db.transaction(async (m) => {
      const a = await this.assessments.assertCanRecord(m, actor.principal!, assessmentId);
      await this.zones.assertValidGeometry(m, dto.geometry);
      const [id] = await this.repo.insertTracks(
        m, { assessmentId, zoneId: a.zoneId, recordedBy: actor.principal!.userId, now: this.clock.now() },
        [{ geometry: dto.geometry, name: dto.name, recordedAt: dto.recordedAt ?? null }],
      );
      const [created] = await this.repo.findTracks(m, [id!]);
      await this.audit.record(m, actor, {
        action: 'survey_track.create', entityType: 'survey_track', entityId: id!,
        after: { assessmentId, name: created!.name, lengthM: created!.lengthM, recordedAt: created!.recordedAt },
      });
      return created!;
    });
    await this.invalidateLayer('survey-tracks');
    return track;
  }

  async listTracks(p: Principal, assessmentId: string): Promise<TrackDto[]> {
    await this.assessments.get(p, assessmentId);
    return this.repo.listTracks(assessmentId);
  }

  async coverage(p: Principal, assessmentId: string, distanceM: number): Promise<CoverageDto> {
    await this.assessments.get(p, assessmentId);
    return this.repo.coverage(assessmentId, distanceM);
  }

  // ── observations ─────────────────────────────────────────────────────────────────────────────────
  async createObservation(actor: Actor, assessmentId: string, dto: CreateObservationDto): Promise<ObservationDto> {
    const obs = await this.db.transaction(async (m) => {
      const a = await this.assessments.assertCanRecord(m, actor.principal!, assessmentId);
      await this.zones.assertValidGeometry(m, dto.geometry);
      const [id] = await this.repo.insertObservations(
        m, { assessmentId, zoneId: a.zoneId, recordedBy: actor.principal!.userId, now: this.clock.now() },
        [{ geometry: dto.geometry, kind: dto.kind, period: dto.period ?? null, description: dto.description ?? null, observedAt: dto.observedAt ?? null }],
      );
      const created = (await this.repo.findObservation(m, id!))!;
      await this.audit.record(m, actor, { action: 'observation.create', entityType: 'observation', entityId: id!, after: created });
      return created;
    });
    await this.invalidateLayer('observations');
    return obs;
  }

  async listObservations(p: Principal, assessmentId: string): Promise<ObservationDto[]> {
    await this.assessments.get(p, assessmentId);
    return this.repo.listObservations(assessmentId);
  }

  async getObservation(p: Principal, id: string): Promise<ObservationDto> {
    const params = new SqlParams();
    const o = await this.repo.findObservation(this.db.manager, id, evidencePredicate(this.scope, p, 'z.division_code', params), params);
    if (!o) throw notFound('observation_not_found');
    return o;
  }

  async updateObservation(actor: Actor, id: string, ifMatch: number | null, dto: UpdateObservationDto): Promise<ObservationDto> {
    const p = actor.principal!;
    await this.getObservation(p, id);
    if (ifMatch === null) throw new AppException('precondition_required', 428);
    const obs = await this.db.transaction(async (m) => {
      const locked = await this.repo.lockObservation(m, id);
      if (!locked) throw notFound('observation_not_found');
      await this.assessments.assertCanRecord(m, p, locked.assessmentId);
      if (Number.isNaN(ifMatch) || locked.rowVersion !== ifMatch) {
        throw new AppException('conflict_stale', 412, {}, { rowVersion: locked.rowVersion });
      }
      const before = (await this.repo.findObservation(m, id))!;
      if (dto.geometry) await this.zones.assertValidGeometry(m, dto.geometry);
      const next: ObservationInsert = {
        geometry: dto.geometry ?? before.geometry,
        kind: dto.kind ?? before.kind,
        period: dto.period !== undefined ? text(dto.period, 100) : before.period,
        description: dto.description !== undefined ? text(dto.description, 4000) : before.description,
        observedAt: dto.observedAt ?? before.observedAt,
      };
      if (!(await this.repo.updateObservation(m, id, ifMatch, next, this.clock.now()))) {
        throw new AppException('conflict_stale', 412, {}, { rowVersion: locked.rowVersion });
      }
      const after = (await this.repo.findObservation(m, id))!;
      await this.audit.record(m, actor, { action: 'observation.update', entityType: 'observation', entityId: id, before, after });
      return after;
    });
    await this.invalidateLayer('observations');
    return obs;
  }

  /** Before the upload is read: may this caller attach photos to this observation at all? */
  async assertCanAddPhoto(p: Principal, observationId: string): Promise<void> {
    const o = await this.getObservation(p, observationId);
    await this.db.transaction((m) => this.assessments.assertCanRecord(m, p, o.assessmentId));
  }

  async addPhoto(actor: Actor, observationId: string, upload: { bytes: Buffer; filename: string | null }): Promise<ObservationDto> {
    const p = actor.principal!;
    if (upload.bytes.length > PHOTO_MAX_BYTES) throw photoTooLarge();
    const type = sniffPhotoType(upload.bytes);
    if (!type) throw new AppException('photo_type_unsupported', 415);
    const o = await this.getObservation(p, observationId);
    // the bytes go to storage first; the row that makes them reachable is written with its audit event
    const stored = await this.storage.put('observation-photos', upload.bytes, type);
    return this.db.transaction(async (m) => {
      await this.assessments.assertCanRecord(m, p, o.assessmentId);
      const fileId = await this.repo.insertStoredFile(m, {
        storageKey: stored.key, sha256: stored.sha256, bytes: stored.bytes, contentType: type,
        originalName: upload.filename ? upload.filename.slice(0, 255) : null, createdBy: p.userId, now: this.clock.now(),
      });
      await this.repo.linkPhoto(m, observationId, fileId);
      await this.audit.record(m, actor, {
        action: 'observation.photo.add', entityType: 'observation', entityId: observationId,
        after: { fileId, sha256: stored.sha256, bytes: stored.bytes, contentType: type, originalName: upload.filename },
      });
      return (await this.repo.findObservation(m, observationId))!;
    });
  }

  /** A stored file, for a caller whose evidence scope covers the observation it belongs to (404 otherwise). */
  async readObservationPhoto(p: Principal, fileId: string): Promise<{ bytes: Buffer; sha256: string; contentType: string; originalName: string | null } | null> {
    const params = new SqlParams();
    const scopeSql = evidencePredicate(this.scope, p, 'z.division_code', params);
    if (scopeSql === 'FALSE') return null;
    const f = await this.repo.observationPhotoFile(fileId, scopeSql, params);
    if (!f) return null;
    return { bytes: await this.storage.get(f.storageKey), sha256: f.sha256, contentType: f.contentType, originalName: f.originalName };
  }

  // ── import targets (called by the import service inside its one transaction) ──────────────────────
  async assertCanImport(p: Principal, options: Record<string, unknown>): Promise<void> {
    const id = assessmentIdOption(options);
    await this.db.transaction((m) => this.assessments.assertCanRecord(m, p, id));
  }

  private async assertImportGeometries(m: EntityManager, features: ImportFeature[]): Promise<void> {
    const broken = await this.repo.invalidGeometries(m, features.map((f) => ({ index: f.index, geometry: f.geometry })));
    if (broken.length) {
      throw new AppException('import_invalid_geometries', 422, { count: broken.length, first: broken[0]!.index, reason: broken[0]!.reason }, { features: broken });
    }
  }

  async importTracks(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const assessmentId = assessmentIdOption(options);
    const a = await this.assessments.assertCanRecord(m, actor.principal!, assessmentId);
    await this.assertImportGeometries(m, features);
    const rows: TrackInsert[] = features.map((f) => ({
      geometry: f.geometry,
      name: text(f.properties.name ?? f.properties.名称 ?? f.properties.Name, 200) ?? `导入轨迹 ${f.index + 1}`,
      recordedAt: isoWithOffset(f.properties.recordedAt ?? f.properties.time),
    }));
    const ids = await this.repo.insertTracks(m, { assessmentId, zoneId: a.zoneId, recordedBy: actor.principal?.userId ?? null, now: this.clock.now() }, rows);
    await this.audit.record(m, actor, {
      action: 'survey_track.import', entityType: 'assessment', entityId: assessmentId,
      after: { target: 'survey-tracks', count: ids.length, ids },
    });
    return { written: ids.length, ids };
  }

  async importObservations(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const assessmentId = assessmentIdOption(options);
    const a = await this.assessments.assertCanRecord(m, actor.principal!, assessmentId);
    await this.assertImportGeometries(m, features);
    const unknownKinds: number[] = [];
    const rows: ObservationInsert[] = features.map((f) => {
      const rawKind = text(f.properties.kind ?? f.properties.类型, 50);
      const kind = rawKind === null ? 'surface_scatter' : KIND_ALIASES[rawKind] ?? (OBSERVATION_KINDS as readonly string[]).find((k) => k === rawKind.toLowerCase());
      if (!kind) unknownKinds.push(f.index);
      return {
        geometry: f.geometry, kind: (kind ?? 'surface_scatter') as ObservationKind,
        period: text(f.properties.period ?? f.properties.时代, 100),
        description: text(f.properties.description ?? f.properties.描述 ?? f.properties.说明, 4000),
        observedAt: isoWithOffset(f.properties.observedAt ?? f.properties.time),
      };
    });
    if (unknownKinds.length) {
      throw new AppException('import_observation_kind_unknown', 422, { indexes: unknownKinds.slice(0, 10).join(', ') }, { features: unknownKinds });
    }
    const ids = await this.repo.insertObservations(m, { assessmentId, zoneId: a.zoneId, recordedBy: actor.principal?.userId ?? null, now: this.clock.now() }, rows);
    await this.audit.record(m, actor, {
      action: 'observation.import', entityType: 'assessment', entityId: assessmentId,
      after: { target: 'observations', count: ids.length, ids },
    });
    return { written: ids.length, ids };
  }

}

export function photoTooLarge(): AppException {
  return new AppException('photo_too_large', 413, { limit: `${PHOTO_MAX_BYTES / 1024 / 1024} MB` });
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Imported times are kept only when they carry an offset (GPX times are UTC "Z"); others are dropped, not guessed. */
function isoWithOffset(v: unknown): string | null {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString();
  return typeof v === 'string' && ISO.test(v.trim()) && !Number.isNaN(Date.parse(v)) ? v.trim() : null;
}
