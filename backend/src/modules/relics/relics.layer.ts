import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { evidencePredicate } from '../assessments/evidence-scope';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';

const EMPTY = '{"type":"FeatureCollection","features":[]}';

/** Each relic as up to three features: the relic itself, its protection range and its control zone. */
const PARTS = `CROSS JOIN LATERAL (VALUES ('relic', r.geom), ('protection_range', r.protection_range), ('control_zone', r.control_zone)) AS part(name, geom)`;

/**
 * `relics` map layer (sensitive: looting risk). Scope is the relic's division; committees, contractors and
 * integrators get an empty collection or tile without any query — no counts, no extents.
 */
@Injectable()
export class RelicsLayer implements LayerProvider, OnModuleInit {
  readonly name = 'relics';

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
    const scopeSql = evidencePredicate(this.scope, p, 'r.division_code', params);
    if (scopeSql === 'FALSE') return EMPTY;
    const where = [scopeSql, 'part.geom IS NOT NULL'];
    if (q.bbox) where.push(`part.geom && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    const rows: Array<{ fc: string }> = await this.db.query(
      `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(part.geom, 7, 0)::json,
                'properties', json_build_object('id', r.id, 'part', part.name, 'name', r.name, 'code', r.code,
                                                'protectionLevel', r.protection_level, 'period', r.period))
              ORDER BY r.code NULLS LAST, r.id, part.name DESC), '[]'::json))::text AS fc
         FROM immovable_relics r ${PARTS}
        WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const scopeSql = evidencePredicate(this.scope, p, 'r.division_code', params);
    if (scopeSql === 'FALSE') return Buffer.alloc(0);
    const rows: Array<{ mvt: Buffer | null }> = await this.db.query(
      `WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
       SELECT ST_AsMVT(t, 'relics', 4096, 'geom') AS mvt FROM (
         SELECT r.id::text AS id, part.name AS part, r.name, r.protection_level AS "protectionLevel", r.period,
                ST_AsMVTGeom(ST_Transform(part.geom, 3857), bounds.env, 4096, 64, true) AS geom
           FROM immovable_relics r ${PARTS}, bounds
          WHERE part.geom IS NOT NULL AND part.geom && ST_Transform(bounds.env, 4490) AND ${scopeSql}
       ) t WHERE t.geom IS NOT NULL`,
      params.values,
    );
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }
}
