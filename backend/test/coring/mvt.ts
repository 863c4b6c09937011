// pbf 3 is CommonJS; @mapbox/vector-tile 3 is ESM-only (Jest here loads CommonJS only), so the tile is
// read with pbf following the Mapbox Vector Tile 2.1 protobuf schema: layers, their keys/values, features' tags.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Pbf = require('pbf') as new (buf: Buffer) => PbfReader;
interface PbfReader {
  pos: number;
  readFields<T>(fn: (tag: number, acc: T, pbf: PbfReader) => void, acc: T): T;
  readMessage<T>(fn: (tag: number, acc: T, pbf: PbfReader) => void, acc: T): T;
  readString(): string;
  readFloat(): number;
  readDouble(): number;
  readVarint64(): number;
  readVarint(): number;
  readSVarint(): number;
  readBoolean(): boolean;
  readPackedVarint(arr: number[]): number[];
}

export interface MvtFeature { id: number | undefined; type: number; properties: Record<string, unknown> }

/** Layer name → its features with decoded properties. */
export function decodeMvt(bytes: Buffer): Record<string, MvtFeature[]> {
  const out: Record<string, MvtFeature[]> = {};
  if (bytes.length === 0) return out;
  new Pbf(bytes).readFields((tag, _acc, pbf) => {
    if (tag !== 3) return;
    const layer = pbf.readMessage((t, l: { name: string; keys: string[]; values: unknown[]; raw: Array<{ id?: number; type: number; tags: number[] }> }, p) => {
      if (t === 1) l.name = p.readString();
      else if (t === 3) l.keys.push(p.readString());
      else if (t === 4) {
        l.values.push(p.readMessage((vt, v: { v: unknown }, vp) => {
          if (vt === 1) v.v = vp.readString();
          else if (vt === 2) v.v = vp.readFloat();
          else if (vt === 3) v.v = vp.readDouble();
          else if (vt === 4 || vt === 5) v.v = vp.readVarint64();
          else if (vt === 6) v.v = vp.readSVarint();
          else if (vt === 7) v.v = vp.readBoolean();
        }, { v: undefined as unknown }).v);
      } else if (t === 2) {
        l.raw.push(p.readMessage((ft, f: { id?: number; type: number; tags: number[] }, fp) => {
          if (ft === 1) f.id = fp.readVarint();
          else if (ft === 2) fp.readPackedVarint(f.tags);
          else if (ft === 3) f.type = fp.readVarint();
          else if (ft === 4) fp.readPackedVarint([]);
        }, { type: 0, tags: [] as number[] }));
      }
    }, { name: '', keys: [] as string[], values: [] as unknown[], raw: [] as Array<{ id?: number; type: number; tags: number[] }> });
    out[layer.name] = layer.raw.map((f) => {
      const properties: Record<string, unknown> = {};
      for (let i = 0; i + 1 < f.tags.length; i += 2) properties[layer.keys[f.tags[i]!]!] = layer.values[f.tags[i + 1]!];
      return { id: f.id, type: f.type, properties };
    });
  }, {});
  return out;
}

/** The XYZ tile holding a lon/lat point. */
export function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
