import { envNumber } from '../../infra/config/config';

/**
 * Settings of the discovery workflow, from the environment:
 * - DISCOVERY_HOLD_RADIUS_M (default 50): radius of the clearance hold around a find, metres;
 * - DISCOVERY_TIME_SCALE (default 1): multiplies every deadline duration, for demonstrations
 *   (e.g. 0.01 turns the 24-hour on-site deadline into 14.4 minutes). Never set it in production;
 * - DISCOVERY_RECONCILE_MS (default 30000, at most 60000): how often the worker's reconciler looks for
 *   due reminders and breached deadlines in PostgreSQL;
 * - DISCOVERY_PHOTO_FAR_M (default 200): a photo whose EXIF position lies farther than this (plus the
 *   report's GPS accuracy) from the reported point is flagged `farFromReport`;
 * - DISCOVERY_AVOIDANCE_BUFFER_M (default 50): radius of the avoidance area a `preserve_in_situ` opinion
 *   puts around the find in the draft zoning revision it opens.
 */
export class DiscoverySettings {
  constructor(
    readonly holdRadiusM: number,
    readonly timeScale: number,
    readonly reconcileMs: number,
    readonly photoFarM: number = 200,
    readonly avoidanceBufferM: number = 50,
  ) {}

  static fromEnv(env: Record<string, string | undefined> = process.env): DiscoverySettings {
    const num = (name: string, fallback: number, ok: (n: number) => boolean): number => envNumber(env, name, fallback, ok);
    return new DiscoverySettings(
      num('DISCOVERY_HOLD_RADIUS_M', 50, (n) => n > 0 && n <= 5000),
      num('DISCOVERY_TIME_SCALE', 1, (n) => n > 0 && n <= 1),
      num('DISCOVERY_RECONCILE_MS', 30_000, (n) => n >= 100 && n <= 60_000),
      num('DISCOVERY_PHOTO_FAR_M', 200, (n) => n > 0 && n <= 100_000),
      num('DISCOVERY_AVOIDANCE_BUFFER_M', 50, (n) => n >= 1 && n <= 5000),
    );
  }
}
