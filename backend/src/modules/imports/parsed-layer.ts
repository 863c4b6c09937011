import type { Geometry } from 'geojson';
import type { ImportMessageParams, LocalizedMessage } from './import-errors';

export type ImportFormat = 'geojson' | 'kml' | 'kmz' | 'shapefile_zip' | 'csv' | 'gpx' | 'dxf';

export type CrsSource = 'prj' | 'geojson_crs' | 'kml_spec' | 'gpx_spec' | 'coordinates' | 'user';

export interface ParsedCrs {
  epsg: number | null;
  detectedFrom: CrsSource | null;
}

export type ImportWarningCode =
  | 'axis_swapped'
  | 'no_crs'
  | 'crs_mismatch'
  | 'invalid_geometry'
  | 'geometry_repaired'
  | 'encoding_guessed'
  | 'features_skipped'
  | 'rows_skipped'
  | 'entities_skipped'
  | 'multiple_layers'
  | 'csv_no_header'
  | 'z_dropped';

export interface ImportWarning {
  code: ImportWarningCode;
  params: ImportMessageParams;
  /** Index into `features` when the warning concerns one feature. */
  featureIndex?: number;
  /** Where the problem is, lon/lat (EPSG:4490), when known. */
  location?: { type: 'Point'; coordinates: [number, number] };
}

export interface ParsedFeature {
  /** GeoJSON geometry in the SOURCE coordinates (axis order as in the file until CRS resolution). */
  geometry: Geometry;
  properties: Record<string, unknown>;
}

export interface ParsedLayer {
  format: ImportFormat;
  features: ParsedFeature[];
  crs: ParsedCrs;
  warnings: ImportWarning[];
  /** EPSG codes the user could pick when `crs.epsg` is null. */
  crsSuggestions?: number[];
}

export const importWarningMessages: Record<ImportWarningCode, LocalizedMessage> = {
  axis_swapped: {
    'zh-CN': '坐标的 X、Y 顺序与{crs}相反（测量表格常把北坐标 X 写在前面）{action}',
    en: 'X and Y appear swapped for {crs} (survey tables list the northing X first){action}',
  },
  no_crs: {
    'zh-CN': '文件没有坐标系信息，无法自动判断{detail}，请选择坐标系{suggestionText}。',
    en: 'The file carries no coordinate system and it cannot be inferred{detail}; please choose one{suggestionText}.',
  },
  crs_mismatch: {
    'zh-CN': '文件声明的坐标系 EPSG:{declared} 与坐标数值不符（数值更像 {looksLike}），请核对。',
    en: 'The declared EPSG:{declared} does not fit the coordinate values (they look like {looksLike}); please check.',
  },
  invalid_geometry: {
    'zh-CN': '第 {number} 个要素图形无效：{reason}（位置 {lon}, {lat}）。',
    en: 'Feature {number} has an invalid geometry: {reason} (at {lon}, {lat}).',
  },
  geometry_repaired: {
    'zh-CN': '第 {number} 个要素的无效图形已按要求自动修复，请核对修复结果。',
    en: 'The invalid geometry of feature {number} was repaired as requested; please check the result.',
  },
  encoding_guessed: {
    'zh-CN': '文件未注明字符编码，已按 {encoding} 读取属性文字，如有乱码请告知编码。',
    en: 'No character encoding was declared; attribute text was read as {encoding}.',
  },
  features_skipped: {
    'zh-CN': '已跳过 {count} 个无法使用的要素（{detail}）。',
    en: 'Skipped {count} unusable features ({detail}).',
  },
  rows_skipped: {
    'zh-CN': '已跳过 {count} 行坐标缺失或无法识别的数据（第 {rows} 行）。',
    en: 'Skipped {count} rows with missing or unreadable coordinates (rows {rows}).',
  },
  entities_skipped: {
    'zh-CN': '已忽略 {count} 个不导入的 CAD 对象（{types}）。',
    en: 'Ignored {count} CAD entities that are not imported ({types}).',
  },
  multiple_layers: {
    'zh-CN': '压缩包中有多个图层（{layers}），本次只导入 {chosen}。',
    en: 'The zip holds several layers ({layers}); only {chosen} was imported.',
  },
  csv_no_header: {
    'zh-CN': 'CSV 没有可识别的表头，已把第 {xColumn} 列和第 {yColumn} 列当作坐标。',
    en: 'The CSV has no recognisable header; columns {xColumn} and {yColumn} were taken as coordinates.',
  },
  z_dropped: {
    'zh-CN': '高程（Z 值）不导入，只保留平面位置。',
    en: 'Elevations (Z) are not imported; only the horizontal position is kept.',
  },
};
