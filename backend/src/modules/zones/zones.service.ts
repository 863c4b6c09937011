import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerCache } from '../layers/layer-cache.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { CreateZoneDto, UpdateZoneDto, ZoneDetailDto, ZoneDto, ZoneListQuery } from './zones.dto';
import { ZoneWrite, ZonesRepository } from './zones.repository';

registerMessages({
  zone_not_found: { 'zh-CN': '开发区不存在', en: 'No such development zone' },
  zone_code_taken: { 'zh-CN': '开发区编码“{code}”已存在', en: 'The zone code "{code}" is already in use' },
  invalid_geometry: {
    'zh-CN': '几何图形无效：{reason}（位置 {where}）',
    en: 'Invalid geometry: {reason} (at {where})',
  },
  committee_org_invalid: { 'zh-CN': '管委会必须是“开发区管委会”类型的机构', en: 'The committee must be an organisation of type zone_committee' },
  division_not_found: { 'zh-CN': '行政区划 {code} 不存在', en: 'Administrative division {code} does not exist' },
});

@Injectable()
export class ZonesService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ZonesRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly layerCache: LayerCache,
  ) {}

  list(p: Principal, q: ZoneListQuery): Promise<ZoneDto[]> {
    const params = new SqlParams();
    return this.repo.list(this.scope.zonePredicate(p, 'z', params), params, q);
  }

  async get(p: Principal, id: string): Promise<ZoneDetailDto> {
    const params = new SqlParams();
    const scopeSql = this.scope.zonePredicate(p, 'z', params);
    const zone = await this.repo.findById(this.db.manager, id, scopeSql, params);
    // outside the scope looks the same as absent: no hint that a zone exists
    if (!zone) throw notFound('zone_not_found');
    return zone;
  }

  private async assertWritable(m: import('typeorm').EntityManager, z: ZoneWrite): Promise<void> {
    const division: unknown[] = await m.query(`SELECT 1 FROM divisions WHERE code = $1`, [z.divisionCode]);
    if (!division.length) throw new AppException('division_not_found', 422, { code: z.divisionCode });
    if (z.committeeOrgId) {
      const org: Array<{ type: string }> = await m.query(`SELECT type FROM organizations WHERE id = $1`, [z.committeeOrgId]);
      if (org[0]?.type !== 'zone_committee') throw new AppException('committee_org_invalid', 422);
    }
    await this.assertValidGeometry(m, z.boundary);
  }

  async assertValidGeometry(m: import('typeorm').EntityManager, g: GeoJsonGeometry): Promise<void> {
    const check = await this.repo.checkGeometry(m, g);
    if (!check.valid) {
      const where = check.location && check.location.type === 'Point' ? (check.location.coordinates as number[]).map((n) => n.toFixed(6)).join(', ') : '—';
      throw new AppException('invalid_geometry', 422, { reason: check.reason, where }, { reason: check.reason, location: check.location });
    }
  }

  async create(actor: Actor, dto: CreateZoneDto): Promise<ZoneDetailDto> {
    const zone = await this.db.transaction(async (m) => {
      if (await this.repo.codeTaken(m, dto.code)) throw new AppException('zone_code_taken', 409, { code: dto.code });
      const write: ZoneWrite = {
        code: dto.code, name: dto.name, nameEn: dto.nameEn ?? null, category: dto.category, level: dto.level,
        divisionCode: dto.divisionCode, committeeOrgId: dto.committeeOrgId ?? null, boundary: dto.boundary,
      };
      await this.assertWritable(m, write);
      const id = await this.repo.insert(m, write);
      const zone = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, { action: 'zone.create', entityType: 'zone', entityId: id, after: { ...zone, boundary: undefined } });
      return zone;
    });
    // after the commit, so no tile of the old data is cached under the new version
    await this.layerCache.invalidate('zones');
    return zone;
  }

  async update(actor: Actor, id: string, dto: UpdateZoneDto): Promise<ZoneDetailDto> {
    const updated = await this.db.transaction(async (m) => {
      await m.query(`SELECT 1 FROM zones WHERE id = $1 FOR UPDATE`, [id]);
      const before = await this.repo.findById(m, id);
      if (!before) throw notFound('zone_not_found');
      const write: ZoneWrite = {
        code: before.code,
        name: dto.name ?? before.name,
        nameEn: dto.nameEn ?? before.nameEn,
        category: dto.category ?? before.category,
        level: dto.level ?? before.level,
        divisionCode: dto.divisionCode ?? before.division.code,
        committeeOrgId: dto.committeeOrgId ?? before.committeeOrg?.id ?? null,
        boundary: dto.boundary ?? before.boundary,
      };
      await this.assertWritable(m, write);
      await this.repo.update(m, id, write);
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'zone.update', entityType: 'zone', entityId: id,
        before: { ...before, boundary: dto.boundary ? before.boundary : undefined },
        after: { ...after, boundary: dto.boundary ? after.boundary : undefined },
      });
      return after;
    });
    await this.layerCache.invalidate('zones');
    return updated;
  }
}
