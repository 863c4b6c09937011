import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import VectorSource from 'ol/source/Vector';
import type { Style } from 'ol/style';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { bboxParam, DATA_PROJECTION } from '../map-projection';

/** The record a map feature stands for; several features (a relic and its ranges) may share one record. */
export const RECORD_ID = 'recordId';

export function recordIdOf(feature: FeatureLike): string {
  return String(feature.get(RECORD_ID) ?? feature.get('id') ?? feature.getId());
}

interface BboxLayerOptions {
  layer: 'observations' | 'relics' | 'survey-tracks';
  id: string;
  zIndex: number;
  style: (feature: FeatureLike) => Style;
  /** extra query string, e.g. a zone filter */
  query?: () => string;
  /** A feature key unique on the map: default the record id; relics add their part. */
  featureKey?: (feature: FeatureLike) => string;
  onError: (error: unknown) => void;
}

/**
 * A read-only layer from `/api/layers/{layer}?bbox=`, loaded per view extent. Features are keyed so that the
 * bbox strategy's overlapping loads never draw a record twice.
 */
export function createBboxGeoJsonLayer(options: BboxLayerOptions): VectorLayer<VectorSource> {
  const format = new GeoJSON({ dataProjection: DATA_PROJECTION });
  const source: VectorSource = new VectorSource({
    strategy: bboxStrategy,
    loader: (extent, _resolution, projection, success, failure) => {
      const extra = options.query?.() ?? '';
      const bbox = bboxParam(extent);
      unwrap(
        api.GET('/api/layers/{layer}', {
          params: { path: { layer: options.layer } } as never,
          querySerializer: () => `bbox=${bbox}${extra ? `&${extra}` : ''}`,
        }),
      ).then(
        (collection) => {
          const features = format.readFeatures(collection as unknown as object, { featureProjection: projection });
          const fresh = features.filter((feature) => {
            const recordId = String(feature.getId() ?? feature.get('id'));
            feature.set(RECORD_ID, recordId, true);
            const key = options.featureKey ? options.featureKey(feature) : recordId;
            feature.setId(key);
            return !source.getFeatureById(key);
          });
          source.addFeatures(fresh);
          success?.(fresh);
        },
        (error: unknown) => {
          source.removeLoadedExtent(extent);
          failure?.();
          options.onError(error);
        },
      );
    },
  });
  return new VectorLayer({ source, properties: { id: options.id }, zIndex: options.zIndex, style: options.style });
}
