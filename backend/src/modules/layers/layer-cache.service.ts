import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { REDIS } from '../../infra/redis/redis.module';
import { Principal } from '../auth/roles';

/** Cached tiles live this long; an invalidated layer's old entries are never read again and simply expire. */
export const TILE_TTL_SECONDS = 3600;
/** At most one "cache unavailable" warning per this many milliseconds (a Redis outage must not flood the log). */
const WARN_INTERVAL_MS = 30_000;

export interface CachedTile {
  bytes: Buffer;
  /** strong ETag of these bytes */
  etag: string;
  cache: 'hit' | 'miss' | 'bypass';
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('base64url');

/**
 * What decides visibility for a caller: roles, role assignments (scope type, division path, zone, org)
 * and the caller's own organisation (later modules widen zone visibility through org relations such as a
 * contractor's projects). Two callers with the same key see exactly the same features; the user id is
 * deliberately left out so colleagues with the same scope share cache entries.
 */
export function scopeKeyOf(p: Principal): string {
  const assignments = p.assignments
    .map((a) => [a.role, a.scopeType, a.divisionPath ?? '', a.zoneId ?? '', a.orgId ?? ''].join('|'))
    .sort();
  const roles = [...new Set(p.roles)].sort();
  return sha(JSON.stringify({ roles, assignments, org: p.org.id })).slice(0, 22);
}

/** Query parameters a layer may read (planId …) change the tile; an empty set adds nothing to the key. */
export function paramsKeyOf(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? sha(JSON.stringify(entries)).slice(0, 16) : '';
}

/**
 * Vector-tile cache in Redis, keyed by layer, layer version, caller scope and tile. Writers call
 * `invalidate(layer)` after their transaction commits: one INCR of the layer's version, so invalidation
 * is O(1) whatever the number of cached tiles. When Redis is unreachable the tiles are generated as if
 * there were no cache.
 */
@Injectable()
export class LayerCache {
  private readonly logger = new Logger('LayerCache');
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private versionKey(layer: string): string {
    return `${this.config.queuePrefix}:tile-version:${layer}`;
  }

  tileKey(layer: string, version: number, scopeKey: string, z: number, x: number, y: number, paramsKey: string): string {
    return `${this.config.queuePrefix}:tile:${layer}:v${version}:${scopeKey}:${z}/${x}/${y}${paramsKey ? `:${paramsKey}` : ''}`;
  }

  /** Current version of a layer's tiles (0 until the first invalidation). */
  async version(layer: string): Promise<number> {
    const v = await this.redis.get(this.versionKey(layer));
    return v === null ? 0 : Number(v);
  }

  /**
   * Makes every cached tile of the layer stale. Call after the writing transaction has committed, or a
   * tile read in between could be cached under the new version with the old data.
   */
  async invalidate(layer: string): Promise<void> {
    try {
      await this.redis.incr(this.versionKey(layer));
    } catch (error) {
      // the stale entries expire after TILE_TTL_SECONDS at the latest
      this.warn(`could not invalidate layer "${layer}"`, error);
    }
  }

  /** The tile from the cache, or produced, stored (empty tiles too) and returned. */
  async tile(
    layer: string,
    p: Principal,
    tile: { z: number; x: number; y: number },
    params: Record<string, string | undefined>,
    produce: () => Promise<Buffer>,
  ): Promise<CachedTile> {
    let key: string | null = null;
    try {
      const version = await this.version(layer);
      key = this.tileKey(layer, version, scopeKeyOf(p), tile.z, tile.x, tile.y, paramsKeyOf(params));
      const cached = await this.redis.getBuffer(key);
      if (cached !== null) return { bytes: cached, etag: etagOf(cached), cache: 'hit' };
    } catch (error) {
      this.warn('tile cache unavailable, generating tiles without it', error);
      key = null;
    }
    const bytes = await produce();
    if (key === null) return { bytes, etag: etagOf(bytes), cache: 'bypass' };
    try {
      await this.redis.set(key, bytes, 'EX', TILE_TTL_SECONDS);
    } catch (error) {
      this.warn('could not store a tile', error);
    }
    return { bytes, etag: etagOf(bytes), cache: 'miss' };
  }

  private warn(what: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_INTERVAL_MS) return;
    this.lastWarning = now;
    this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A hash of the bytes themselves rather than of the layer version: it stays right when Redis is flushed
 * (versions restart) or unreachable, and two scopes that happen to see the same tile may share it.
 */
export function etagOf(bytes: Buffer): string {
  return `"${sha(bytes).slice(0, 27)}"`;
}

/** If-None-Match matches (a list, weak validators and `*` included, RFC 9110 §13.1.2). */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((v) => v.trim().replace(/^W\//, ''));
  return values.includes('*') || values.includes(etag);
}
