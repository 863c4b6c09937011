import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { ContractorOrgDto, ProjectDetailDto, ProjectDto, ProjectState } from './projects.dto';

interface Row {
  id: string;
  name: string;
  state: ProjectState;
  zone_id: string;
  parcel_id: string;
  zone_code: string;
  zone_name: string;
  parcel_code: string;
  parcel_name: string;
  contractor_org_id: string;
  contractor_name: string;
  created_at: Date | null;
}

const SELECT = `
  SELECT pr.id, pr.name, pr.state, pr.zone_id, pr.parcel_id, z.code AS zone_code, z.name AS zone_name,
         pc.code AS parcel_code, pc.name AS parcel_name, pr.contractor_org_id, o.name AS contractor_name, pr.created_at
    FROM projects pr JOIN zones z ON z.id = pr.zone_id JOIN parcels pc ON pc.id = pr.parcel_id
    JOIN organizations o ON o.id = pr.contractor_org_id`;

const summary = (r: Row): ProjectDto => ({ id: r.id, name: r.name, state: r.state, zoneId: r.zone_id, parcelId: r.parcel_id });

@Injectable()
export class ProjectsRepository {
  constructor(private readonly db: DataSource) {}

  async list(scopeSql: string, params: SqlParams, f: { zoneId?: string; state?: string }): Promise<ProjectDto[]> {
    const where = [scopeSql];
    if (f.zoneId) where.push(`pr.zone_id = ${params.add(f.zoneId)}`);
    if (f.state) where.push(`pr.state = ${params.add(f.state)}`);
    const rows: Row[] = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY pr.created_at, pr.id`, params.values);
    return rows.map(summary);
  }

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<ProjectDetailDto | null> {
    const rows: Row[] = await m.query(`${SELECT} WHERE pr.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    const r = rows[0];
    if (!r) return null;
    return {
      ...summary(r), zoneCode: r.zone_code, zoneName: r.zone_name, parcelCode: r.parcel_code, parcelName: r.parcel_name,
      contractor: { id: r.contractor_org_id, name: r.contractor_name }, createdAt: toIsoOffset(r.created_at),
    };
  }

  /** Contractor organisations, by name. */
  async contractorOrgs(): Promise<ContractorOrgDto[]> {
    return this.db.query(`SELECT id, name FROM organizations WHERE type = 'contractor' ORDER BY name, id`);
  }

  async orgType(m: EntityManager, orgId: string): Promise<string | null> {
    const rows: Array<{ type: string }> = await m.query(`SELECT type FROM organizations WHERE id = $1`, [orgId]);
    return rows[0]?.type ?? null;
  }

  async insert(m: EntityManager, p: { parcelId: string; zoneId: string; name: string; contractorOrgId: string; createdBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [p.parcelId, p.zoneId, p.name, p.contractorOrgId, p.createdBy],
    );
    return rows[0]!.id;
  }
}
