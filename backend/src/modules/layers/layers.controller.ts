import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppException } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { Principal } from '../auth/roles';
import { parseBbox } from '../spatial/bbox';
import { ifNoneMatchHits, LayerCache } from './layer-cache.service';
import { LayerRegistry } from './layer.registry';

registerMessages({
  layer_not_found: { 'zh-CN': '图层“{layer}”不存在（可用：{layers}）', en: 'No layer "{layer}" (available: {layers})' },
  tile_out_of_range: { 'zh-CN': '瓦片坐标超出范围', en: 'Tile coordinates out of range' },
});

const LAYER_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor', 'integrator'] as const;

@ApiTags('layers')
@ApiBearerAuth()
@Controller()
export class LayersController {
  constructor(
    private readonly registry: LayerRegistry,
    private readonly cache: LayerCache,
  ) {}

  private layer(name: string) {
    const l = this.registry.get(name);
    if (!l) throw new AppException('layer_not_found', 404, { layer: name, layers: this.registry.names() });
    return l;
  }

  @Get('layers/:layer')
  @Access(...LAYER_READERS)
  @ApiOperation({ summary: 'A layer as a GeoJSON FeatureCollection (lon/lat) within bbox=minLon,minLat,maxLon,maxLat, scoped to the caller' })
  async geojson(
    @CurrentPrincipal() p: Principal,
    @Param('layer') name: string,
    @Query() query: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const layer = this.layer(name);
    const bbox = parseBbox(query.bbox);
    void reply.header('content-type', 'application/geo+json; charset=utf-8').header('cache-control', 'private, no-store');
    return layer.geojson(p, { bbox, params: query });
  }

  @Get('tiles/:layer/:z/:x/:y.pbf')
  @Access(...LAYER_READERS)
  @ApiOperation({ summary: 'Mapbox Vector Tile of a layer, scoped to the caller (empty where nothing is visible)' })
  @ApiProduces('application/vnd.mapbox-vector-tile')
  async tile(
    @CurrentPrincipal() p: Principal,
    @Param('layer') name: string,
    @Param('z') zs: string,
    @Param('x') xs: string,
    @Param('y') ys: string,
    @Query() query: Record<string, string | undefined>,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const layer = this.layer(name);
    const [z, x, y] = [Number(zs), Number(xs), Number(ys)];
    if (![z, x, y].every(Number.isInteger) || z < 0 || z > 22 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) {
      throw new AppException('tile_out_of_range', 400);
    }
    const tile = await this.cache.tile(name, p, { z, x, y }, query, () => layer.tile(p, z, x, y, { bbox: null, params: query }));
    // private: the tile depends on who asks; no-cache: the browser revalidates with If-None-Match
    void reply
      .header('cache-control', 'private, no-cache')
      .header('vary', 'Authorization, X-Api-Key')
      .header('etag', tile.etag)
      .header('x-tile-cache', tile.cache);
    if (ifNoneMatchHits(ifNoneMatch, tile.etag)) {
      void reply.status(304);
      return Buffer.alloc(0);
    }
    void reply.header('content-type', 'application/vnd.mapbox-vector-tile');
    return tile.bytes;
  }
}
