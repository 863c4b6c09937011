import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';

/** `zones` map layer: boundaries of the zones in the caller's scope, coloured by category in the UI. */
@Injectable()
export class ZonesLayer implements LayerProvider, OnModuleInit {
  readonly name = 'zones';

  constructor(
    private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly registry: LayerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async geojson(p: Principal, q: LayerQuery): Promise<string> {
    const params = new SqlParams();
    const where = [this.scope.zonePredicate(p, 'z', params)];
    if (q.bbox) where.push(`z.boundary && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    const rows: Array<{ fc: string }> = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', z.id,
                'geometry', ST_AsGeoJSON(z.boundary, 7, 0)::json,
                'properties', json_build_object('code', z.code, 'name', z.name, 'category', z.category,
                                                'areaMu', round((z.area_m2 / (10000.0 / 15))::numeric, 2)))
              ORDER BY z.code), '[]'::json))::text AS fc
         FROM zones z WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const scopeSql = this.scope.zonePredicate(p, 'zn', params);
    const rows: Array<{ mvt: Buffer }> = await this.db.query(
      `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
       SELECT ST_AsMVT(t, 'zones', 4096, 'geom') AS mvt FROM (
         SELECT zn.id::text AS id, zn.code, zn.name, zn.category,
                ST_AsMVTGeom(ST_Transform(zn.boundary, 3857), bounds.env, 4096, 64, true) AS geom
           FROM zones zn, bounds
          WHERE zn.boundary && ST_Transform(bounds.env, 4490) AND ${scopeSql}
       ) t WHERE t.geom IS NOT NULL`,
      params.values,
    );
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }
}
