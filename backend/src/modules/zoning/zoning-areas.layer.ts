import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';
import { ZoningVisibility } from './zoning-visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `zoning-areas`: each zone's issued plan, or `?planId=` for a plan the caller may read. The plan
 * visibility rule (ZoningVisibility) is part of the SQL; rationale is only emitted for detailed readers,
 * so committees never receive it; contractors and integrators get an empty collection/tile.
 */
@Injectable()
export class ZoningAreasLayer implements LayerProvider, OnModuleInit {
  readonly name = 'zoning-areas';
  private readonly visibility: ZoningVisibility;

  constructor(
    private readonly db: DataSource,
    scope: ScopeService,
    private readonly registry: LayerRegistry,
  ) {
    this.visibility = new ZoningVisibility(scope);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  private planFilter(q: LayerQuery, params: SqlParams): string {
    const planId = q.params.planId;
    if (planId === undefined || planId === '') return `zp.state = 'issued'`;
    // a malformed id can name no plan the caller may read: empty, like any other invisible plan
    if (!UUID.test(planId)) return 'FALSE';
    return `zp.id = ${params.add(planId)}`;
  }

  async geojson(p: Principal, q: LayerQuery): Promise<string> {
    const params = new SqlParams();
    const where = [this.planFilter(q, params), this.visibility.readable(p, 'zp', 'z', params)];
    const detailed = this.visibility.detailed(p, 'zp', 'z', params);
    if (q.bbox) where.push(`a.geom && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    const rows: Array<{ fc: string }> = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.geom, 9, 0)::json,
                'properties', json_strip_nulls(json_build_object(
                   'planId', s.plan_id, 'zoneId', s.zone_id, 'version', s.version, 'state', s.state, 'category', s.category,
                   'label', s.label, 'areaMu', round((ST_Area(s.geom::geography) / (10000.0 / 15))::numeric, 2),
                   'rationale', s.rationale)))
              ORDER BY s.zone_id, s.category, s.id), '[]'::json))::text AS fc
         FROM (SELECT a.id, a.geom, a.category, a.label, zp.id AS plan_id, zp.zone_id, zp.version, zp.state,
                      CASE WHEN ${detailed} THEN a.rationale END AS rationale
                 FROM zoning_areas a JOIN zoning_plans zp ON zp.id = a.plan_id JOIN zones z ON z.id = zp.zone_id
                WHERE ${where.join(' AND ')}) s`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number, q: LayerQuery): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const where = [this.planFilter(q, params), this.visibility.readable(p, 'zp', 'zn', params)];
    const rows: Array<{ mvt: Buffer }> = await this.db.query(
      `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
       SELECT ST_AsMVT(t, 'zoning-areas', 4096, 'geom') AS mvt FROM (
         SELECT a.id::text AS id, zp.id::text AS plan_id, zp.zone_id::text AS zone_id, zp.version, zp.state, a.category, a.label,
                ST_AsMVTGeom(ST_Transform(a.geom, 3857), bounds.env, 4096, 64, true) AS geom
           FROM zoning_areas a JOIN zoning_plans zp ON zp.id = a.plan_id JOIN zones zn ON zn.id = zp.zone_id, bounds
          WHERE a.geom && ST_Transform(bounds.env, 4490) AND ${where.join(' AND ')}
       ) t WHERE t.geom IS NOT NULL`,
      params.values,
    );
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }
}
