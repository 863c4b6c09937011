export type ImportErrorCode =
  | 'file_empty'
  | 'file_too_large'
  | 'unsupported_format'
  | 'malformed_file'
  | 'no_features'
  | 'zip_unsafe_path'
  | 'zip_bomb'
  | 'too_many_features'
  | 'too_many_vertices'
  | 'crs_required'
  | 'crs_unsupported'
  | 'coordinates_out_of_range'
  | 'shapefile_incomplete';

export type ImportMessageParams = Record<string, string | number | boolean | null | undefined>;

export interface LocalizedMessage {
  'zh-CN': string;
  en: string;
}

export const IMPORT_ERROR_STATUS: Record<ImportErrorCode, 400 | 413 | 415 | 422> = {
  file_empty: 400,
  file_too_large: 413,
  unsupported_format: 415,
  malformed_file: 400,
  no_features: 422,
  zip_unsafe_path: 400,
  zip_bomb: 413,
  too_many_features: 413,
  too_many_vertices: 413,
  crs_required: 422,
  crs_unsupported: 422,
  coordinates_out_of_range: 422,
  shapefile_incomplete: 422,
};

/** Templates use `{param}` placeholders; the global exception filter picks the language by code. */
export const importErrorMessages: Record<ImportErrorCode, LocalizedMessage> = {
  file_empty: { 'zh-CN': '文件为空，请重新选择文件。', en: 'The file is empty.' },
  file_too_large: {
    'zh-CN': '文件过大（{sizeMb} MB），单个文件不能超过 {limitMb} MB。',
    en: 'The file is too large ({sizeMb} MB); the limit is {limitMb} MB.',
  },
  unsupported_format: {
    'zh-CN': '无法识别的文件格式{hint}。支持：GeoJSON、KML/KMZ、Shapefile（zip 压缩包）、CSV、GPX、DXF。',
    en: 'Unrecognised file format{hint}. Supported: GeoJSON, KML/KMZ, zipped Shapefile, CSV, GPX, DXF.',
  },
  malformed_file: {
    'zh-CN': '{format} 文件已损坏或格式不正确：{detail}',
    en: 'The {format} file is damaged or not well formed: {detail}',
  },
  no_features: {
    'zh-CN': '文件中没有可导入的点、线或面要素。',
    en: 'The file contains no points, lines or polygons to import.',
  },
  zip_unsafe_path: {
    'zh-CN': '压缩包中含有不安全的文件路径（{entry}），已拒绝。',
    en: 'The zip contains an unsafe file path ({entry}) and was refused.',
  },
  zip_bomb: {
    'zh-CN': '压缩包解压后过大或压缩比异常（{detail}），已拒绝。',
    en: 'The zip expands to too much data or has an abnormal compression ratio ({detail}) and was refused.',
  },
  too_many_features: {
    'zh-CN': '要素数量超过上限：最多 {limit} 个。请分批导入。',
    en: 'Too many features: at most {limit} are allowed. Please split the file.',
  },
  too_many_vertices: {
    'zh-CN': '图形节点数量超过上限（{limit} 个）。请简化图形或分批导入。',
    en: 'Too many vertices (limit {limit}). Please simplify or split the data.',
  },
  crs_required: {
    'zh-CN': '无法确定坐标系，请选择坐标系后再导入{suggestionText}。',
    en: 'The coordinate system could not be determined; please choose one{suggestionText}.',
  },
  crs_unsupported: {
    'zh-CN': '不支持的坐标系：{crs}。请转换为 CGCS2000（EPSG:4490 或 4513–4554）、WGS84 或 Web 墨卡托后再导入。',
    en: 'Unsupported coordinate system: {crs}. Please convert to CGCS2000 (EPSG:4490 or 4513–4554), WGS84 or Web Mercator.',
  },
  coordinates_out_of_range: {
    'zh-CN': '坐标超出坐标系 {crs} 的有效范围，无法换算。请检查所选坐标系和 X、Y 的顺序。',
    en: 'The coordinates lie outside the valid range of {crs} and cannot be converted. Check the chosen coordinate system and the X/Y order.',
  },
  shapefile_incomplete: {
    'zh-CN': 'Shapefile 压缩包缺少 {missing} 文件。请将同名的 .shp、.shx、.dbf、.prj（及 .cpg）文件一起压缩为 zip 上传。',
    en: 'The zipped Shapefile lacks its {missing} file. Zip the .shp, .shx, .dbf, .prj (and .cpg) files of the same name together.',
  },
};

export function formatImportMessage(template: string, params: ImportMessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? '' : String(value);
  });
}

export class ImportError extends Error {
  readonly status: 400 | 413 | 415 | 422;

  constructor(
    readonly code: ImportErrorCode,
    readonly params: ImportMessageParams = {},
    options?: { cause?: unknown },
  ) {
    super(formatImportMessage(importErrorMessages[code].en, params), options);
    this.name = 'ImportError';
    this.status = IMPORT_ERROR_STATUS[code];
  }

  localizedMessage(locale: keyof LocalizedMessage = 'zh-CN'): string {
    return formatImportMessage(importErrorMessages[this.code][locale], this.params);
  }
}

export function malformed(format: string, detail: string, cause?: unknown): ImportError {
  return new ImportError('malformed_file', { format, detail: detail.slice(0, 300) }, { cause });
}
