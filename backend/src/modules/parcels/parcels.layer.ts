import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';
import { ParcelVisibility } from './parcel-visibility';

/**
 * `parcels` map layer (API.md): parcel outlines the caller may see (committees their zone's, contractors
 * their projects', reviewers/assessors/admin all, authority its division tree). Verdicts come from the
 * parcels API, not the tiles: a tile must stay cheap.
 */
@Injectable()
export class ParcelsLayer implements LayerProvider, OnModuleInit {
  readonly name = 'parcels';
  private readonly visibility: ParcelVisibility;

  constructor(
    private readonly db: DataSource,
    scope: ScopeService,
    private readonly registry: LayerRegistry,
  ) {
    this.visibility = new ParcelVisibility(scope);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async geojson(p: Principal, q: LayerQuery): Promise<string> {
    const params = new SqlParams();
    const where = [this.visibility.readable(p, 'pc', 'z', params)];
    if (q.bbox) where.push(`pc.geom && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    if (q.params.zoneId) where.push(`pc.zone_id::text = ${params.add(q.params.zoneId)}`);
    const rows: Array<{ fc: string }> = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', pc.id,
                'geometry', ST_AsGeoJSON(pc.geom, 9, 0)::json,
                'properties', json_build_object('code', pc.code, 'name', pc.name, 'plannedUse', pc.planned_use, 'zoneId', pc.zone_id,
                                                'transferred', pc.transferred_at IS NOT NULL,
                                                'areaMu', round((pc.area_m2 / (10000.0 / 15))::numeric, 2)))
              ORDER BY pc.code), '[]'::json))::text AS fc
         FROM parcels pc JOIN zones z ON z.id = pc.zone_id WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const scopeSql = this.visibility.readable(p, 'pc', 'zn', params);
    const rows: Array<{ mvt: Buffer }> = await this.db.query(
      `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
       SELECT ST_AsMVT(t, 'parcels', 4096, 'geom') AS mvt FROM (
         SELECT pc.id::text AS id, pc.code, pc.name, (pc.transferred_at IS NOT NULL) AS transferred,
                ST_AsMVTGeom(ST_Transform(pc.geom, 3857), bounds.env, 4096, 64, true) AS geom
           FROM parcels pc JOIN zones zn ON zn.id = pc.zone_id, bounds
          WHERE pc.geom && ST_Transform(bounds.env, 4490) AND ${scopeSql}
       ) t WHERE t.geom IS NOT NULL`,
      params.values,
    );
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }
}
