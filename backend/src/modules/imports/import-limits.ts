/**
 * Limits applied to every uploaded file. The HTTP layer should pass `maxFileBytes` to the multipart
 * parser too (fastify `limits.fileSize`) so an oversized upload is cut off while it streams; the check in
 * `parseImport` is the same rule applied to whatever reached us.
 */
export interface ImportLimits {
  /** Size of the uploaded file itself. */
  maxFileBytes: number;
  maxFeatures: number;
  maxVerticesPerFeature: number;
  maxTotalVertices: number;
  /** Sum of the bytes actually inflated from a zip (KMZ, zipped Shapefile). */
  maxZipUncompressedBytes: number;
  /** Inflated bytes / zip size. Only enforced once `zipRatioCheckMinBytes` have been inflated, because
   *  a .dbf full of blank padding legitimately compresses 50–100:1. */
  maxZipCompressionRatio: number;
  zipRatioCheckMinBytes: number;
  maxZipEntries: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxFileBytes: 50 * MiB,
  maxFeatures: 200_000,
  maxVerticesPerFeature: 100_000,
  maxTotalVertices: 2_000_000,
  maxZipUncompressedBytes: 500 * MiB,
  maxZipCompressionRatio: 100,
  zipRatioCheckMinBytes: 10 * MiB,
  maxZipEntries: 1000,
});

export function resolveImportLimits(overrides?: Partial<ImportLimits>): ImportLimits {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS };
  for (const [key, value] of Object.entries(overrides ?? {}) as Array<[keyof ImportLimits, number | undefined]>) {
    if (value !== undefined) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`import limit ${key} must be a positive number`);
      limits[key] = value;
    }
  }
  return limits;
}
