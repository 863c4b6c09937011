import type { FeatureLike } from 'ol/Feature';
import MVT from 'ol/format/MVT';
import type { Projection } from 'ol/proj';
import type Tile from 'ol/Tile';
import TileState from 'ol/TileState';
import type VectorTile from 'ol/VectorTile';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';

export type TileLayerName = 'coring-points' | 'observations' | 'relics' | 'survey-tracks' | 'zones';

/**
 * A tile loader that fetches through the app's API client, so the Bearer token goes along and an expired
 * token is refreshed once like for every other call (OL's default loader would fetch without it). An empty
 * body — the server's answer where the caller's scope shows nothing — is an empty tile, not an error.
 * The browser's HTTP cache revalidates with the server's ETag; a 304 reaches us as the cached 200.
 */
export function authorizedTileLoader(layer: TileLayerName, onError?: (error: unknown) => void) {
  const format = new MVT({ idProperty: 'id' });
  return (tile: Tile) => {
    const vectorTile = tile as VectorTile<FeatureLike>;
    const [z, x, y] = vectorTile.getTileCoord();
    vectorTile.setLoader((extent: number[], _resolution: number, projection: Projection) => {
      unwrap(
        api.GET('/api/tiles/{layer}/{z}/{x}/{y}.pbf', {
          params: { path: { layer, z: String(z), x: String(x), y: String(y) } } as never,
          parseAs: 'arrayBuffer',
        }),
      ).then(
        (data) => {
          const bytes = data as unknown as ArrayBuffer | undefined;
          const features =
            bytes && bytes.byteLength > 0 ? format.readFeatures(bytes, { extent, featureProjection: projection }) : [];
          vectorTile.setFeatures(features);
        },
        (error: unknown) => {
          vectorTile.setState(TileState.ERROR);
          onError?.(error);
        },
      );
    });
  };
}
