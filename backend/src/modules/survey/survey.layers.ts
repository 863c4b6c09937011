import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException } from '../../infra/http/app-exception';
import { evidencePredicate } from '../assessments/evidence-scope';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';

export const EMPTY_FEATURE_COLLECTION = '{"type":"FeatureCollection","features":[]}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?assessmentId=` narrows an evidence layer to one assessment. */
export function assessmentFilter(q: LayerQuery, column: string, params: SqlParams): string | null {
  const id = q.params.assessmentId;
  if (id === undefined || id === '') return null;
  if (!UUID.test(id)) throw new AppException('validation_failed', 400, {}, [{ field: 'assessmentId', constraint: 'isUuid', fallback: 'assessmentId must be a UUID' }]);
  return `${column} = ${params.add(id)}::uuid`;
}

/**
 * A point/line evidence layer of the sweep survey. Scope is a SQL predicate on the zone's division; when
 * the caller may read no evidence at all (committee, contractor, integrator) no query runs and the answer is
 * an empty collection or tile — no counts, no extents.
 */
abstract class EvidenceLayer implements LayerProvider, OnModuleInit {
  abstract readonly name: string;
  protected abstract readonly table: string;
  protected abstract properties(alias: string): string;
  protected abstract mvtColumns(alias: string): string;

  constructor(
    protected readonly db: DataSource,
    protected readonly scope: ScopeService,
    private readonly registry: LayerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async geojson(p: Principal, q: LayerQuery): Promise<string> {
    const params = new SqlParams();
    const scopeSql = evidencePredicate(this.scope, p, 'z.division_code', params);
    if (scopeSql === 'FALSE') return EMPTY_FEATURE_COLLECTION;
    const where = [scopeSql];
    const byAssessment = assessmentFilter(q, 'e.assessment_id', params);
    if (byAssessment) where.push(byAssessment);
    if (q.bbox) where.push(`e.geom && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    const rows: Array<{ fc: string }> = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', e.id, 'geometry', ST_AsGeoJSON(e.geom, 7, 0)::json,
                'properties', ${this.properties('e')}) ORDER BY e.created_at, e.id), '[]'::json))::text AS fc
         FROM ${this.table} e JOIN zones z ON z.id = e.zone_id
        WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number, q: LayerQuery): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const scopeSql = evidencePredicate(this.scope, p, 'zn.division_code', params);
    if (scopeSql === 'FALSE') return Buffer.alloc(0);
    const where = [scopeSql];
    const byAssessment = assessmentFilter(q, 'e.assessment_id', params);
    if (byAssessment) where.push(byAssessment);
    const rows: Array<{ mvt: Buffer | null }> = await this.db.query(
      `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
       SELECT ST_AsMVT(t, '${this.name}', 4096, 'geom') AS mvt FROM (
         SELECT ${this.mvtColumns('e')},
                ST_AsMVTGeom(ST_Transform(e.geom, 3857), bounds.env, 4096, 64, true) AS geom
           FROM ${this.table} e JOIN zones zn ON zn.id = e.zone_id, bounds
          WHERE e.geom && ST_Transform(bounds.env, 4490) AND ${where.join(' AND ')}
       ) t WHERE t.geom IS NOT NULL`,
      params.values,
    );
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }
}

/** `observations`: sweep-survey observation points (id, kind, period). */
@Injectable()
export class ObservationsLayer extends EvidenceLayer {
  readonly name = 'observations';
  protected readonly table = 'survey_observations';
  protected properties(e: string): string {
    return `json_build_object('id', ${e}.id, 'kind', ${e}.kind, 'period', ${e}.period, 'assessmentId', ${e}.assessment_id)`;
  }
  protected mvtColumns(e: string): string {
    return `${e}.id::text AS id, ${e}.kind, ${e}.period, ${e}.assessment_id::text AS "assessmentId"`;
  }
  constructor(db: DataSource, scope: ScopeService, registry: LayerRegistry) {
    super(db, scope, registry);
  }
}

/** `survey-tracks`: the lines walked in the sweep survey. */
@Injectable()
export class SurveyTracksLayer extends EvidenceLayer {
  readonly name = 'survey-tracks';
  protected readonly table = 'survey_tracks';
  protected properties(e: string): string {
    return `json_build_object('id', ${e}.id, 'name', ${e}.name, 'assessmentId', ${e}.assessment_id,
                              'lengthM', round(ST_Length(${e}.geom::geography)::numeric, 1))`;
  }
  protected mvtColumns(e: string): string {
    return `${e}.id::text AS id, ${e}.name, ${e}.assessment_id::text AS "assessmentId"`;
  }
  constructor(db: DataSource, scope: ScopeService, registry: LayerRegistry) {
    super(db, scope, registry);
  }
}
