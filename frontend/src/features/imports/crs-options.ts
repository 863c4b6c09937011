/**
 * The coordinate systems an import may be declared in (DOMAIN §5): geographic CGCS2000/WGS84, web Mercator,
 * and the CGCS2000 3-degree Gauss–Krüger zones 25–45, with the zone number prefixed to the easting
 * (EPSG:4513–4533) or not (EPSG:4534–4554). Shanxi lies in zones 37 and 38, so those come first.
 */
export type CrsKind = 'geographic-cgcs2000' | 'geographic-wgs84' | 'web-mercator' | 'gk-prefixed' | 'gk-plain';

export interface CrsOption {
  epsg: number;
  kind: CrsKind;
  /** Gauss–Krüger zone number (3-degree), for the two GK kinds */
  zone?: number;
  /** its central meridian, °E */
  centralMeridian?: number;
  /** the zones that cover Shanxi */
  shanxi: boolean;
}

const GK_FIRST_ZONE = 25;
const GK_LAST_ZONE = 45;
const SHANXI_ZONES = [37, 38];

function gkOptions(kind: 'gk-prefixed' | 'gk-plain', firstEpsg: number): CrsOption[] {
  const out: CrsOption[] = [];
  for (let zone = GK_FIRST_ZONE; zone <= GK_LAST_ZONE; zone++) {
    out.push({
      epsg: firstEpsg + zone - GK_FIRST_ZONE,
      kind,
      zone,
      centralMeridian: zone * 3,
      shanxi: SHANXI_ZONES.includes(zone),
    });
  }
  return out;
}

export const CRS_OPTIONS: readonly CrsOption[] = [
  { epsg: 4490, kind: 'geographic-cgcs2000', shanxi: true },
  { epsg: 4326, kind: 'geographic-wgs84', shanxi: true },
  ...gkOptions('gk-prefixed', 4513),
  ...gkOptions('gk-plain', 4534),
  { epsg: 3857, kind: 'web-mercator', shanxi: false },
];

/** Shanxi's zones first (prefixed, then plain), then geographic, then every other zone in order. */
export function orderedCrsOptions(): CrsOption[] {
  const shanxiGk = CRS_OPTIONS.filter((o) => o.shanxi && o.zone !== undefined);
  const geographic = CRS_OPTIONS.filter((o) => o.kind.startsWith('geographic'));
  const rest = CRS_OPTIONS.filter((o) => !shanxiGk.includes(o) && !geographic.includes(o));
  return [...geographic, ...shanxiGk, ...rest];
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** "CGCS2000 3度带 38带（带号，EPSG:4526）" and its English counterpart. */
export function crsLabel(option: CrsOption, t: Translate): string {
  return t(`imports.crs.${option.kind}`, { epsg: option.epsg, zone: option.zone, cm: option.centralMeridian });
}

export function crsLabelFor(epsg: number | null | undefined, t: Translate): string {
  if (epsg === null || epsg === undefined) return t('imports.crs.unknown');
  const option = CRS_OPTIONS.find((o) => o.epsg === epsg);
  return option ? crsLabel(option, t) : `EPSG:${epsg}`;
}
