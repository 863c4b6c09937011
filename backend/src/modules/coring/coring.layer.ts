import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { SqlParams } from '../auth/scope.service';
import { LayerProvider, LayerQuery, LayerRegistry } from '../layers/layer.registry';
import { POSITIVE_RESULTS } from './core-result';
import { CORING_LAYER, CoringService } from './coring.service';

/** bbox GeoJSON answers stop here (positive cores first) and say `truncated: true`; tiles have no cap. */
export const CORES_GEOJSON_CAP = 20_000;

/**
 * The tile statement. z/x/y are parameters ($1..$3) and the text depends only on the shape of the scope
 * predicate, so each pooled connection prepares it once and reuses the plan (no per-tile planning of the
 * literal bounds). No simplification inside: points need none.
 */
export function coringTileSql(scopeSql: string): string {
  return `WITH bounds AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env)
    SELECT ST_AsMVT(t, '${CORING_LAYER}', 4096, 'geom') AS mvt FROM (
      SELECT c.id::text AS id, c.code, c.status, c.result,
             ST_AsMVTGeom(ST_Transform(c.geom, 3857), bounds.env, 4096, 64, true) AS geom
        FROM coring_points c, bounds
       WHERE c.geom && ST_Transform(bounds.env, 4490)
         AND c.zone_id IN (SELECT zn.id FROM zones zn WHERE ${scopeSql})
    ) t WHERE t.geom IS NOT NULL`;
}

/**
 * `coring-points` map layer: cores coloured by result in the UI. Scope is the evidence rule (admin,
 * assessors, reviewers, authority officers in their division tree); committees, contractors and
 * integrators get an empty tile and an empty collection at every zoom.
 */
@Injectable()
export class CoringLayer implements LayerProvider, OnModuleInit {
  readonly name = CORING_LAYER;

  constructor(
    private readonly db: DataSource,
    private readonly coring: CoringService,
    private readonly registry: LayerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async geojson(p: Principal, q: LayerQuery): Promise<string> {
    const params = new SqlParams();
    const where = [`c.zone_id IN (SELECT zn.id FROM zones zn WHERE ${this.coring.readScope(p, 'zn', params)})`];
    if (q.bbox) where.push(`c.geom && ST_MakeEnvelope(${params.add(q.bbox[0])}, ${params.add(q.bbox[1])}, ${params.add(q.bbox[2])}, ${params.add(q.bbox[3])}, 4490)`);
    if (q.params.assessmentId && /^[0-9a-f-]{36}$/i.test(q.params.assessmentId)) where.push(`c.assessment_id = ${params.add(q.params.assessmentId)}::uuid`);
    const positives = params.add([...POSITIVE_RESULTS]);
    const rows: Array<{ fc: string }> = await this.db.query(
      `WITH f AS (
         SELECT c.id, c.code, c.status, c.result, c.geom
           FROM coring_points c WHERE ${where.join(' AND ')}
          ORDER BY (c.result = ANY(${positives}::text[])) DESC NULLS LAST, c.code
          LIMIT ${params.add(CORES_GEOJSON_CAP + 1)})
       SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', coalesce((SELECT json_agg(json_build_object(
                    'type', 'Feature', 'id', f.id,
                    'geometry', ST_AsGeoJSON(f.geom, 7, 0)::json,
                    'properties', json_build_object('code', f.code, 'status', f.status, 'result', f.result)))
                  FROM (SELECT * FROM f LIMIT ${params.add(CORES_GEOJSON_CAP)}) f), '[]'::json),
                'truncated', (SELECT count(*) FROM f) > ${params.add(CORES_GEOJSON_CAP)})::text AS fc`,
      params.values,
    );
    return rows[0]!.fc;
  }

  async tile(p: Principal, z: number, x: number, y: number): Promise<Buffer> {
    const params = new SqlParams([z, x, y]);
    const text = coringTileSql(this.coring.readScope(p, 'zn', params));
    const name = `coring_tile_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    const runner = this.db.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      // Parallel workers cost more than they bring on a tile (measured ~4× slower with them); SET LOCAL
      // keeps the setting to this transaction, so the pooled connection goes back unchanged.
      await client.query('BEGIN; SET LOCAL max_parallel_workers_per_gather = 0');
      try {
        const res = await client.query<{ mvt: Buffer | null }>({ name, text, values: params.values });
        await client.query('COMMIT');
        return res.rows[0]?.mvt ?? Buffer.alloc(0);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
