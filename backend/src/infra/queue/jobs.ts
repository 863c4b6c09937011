/**
 * Typed job registry: every queue, job name and payload in one place. Payloads carry ids and storage
 * keys, never files. Handlers are idempotent and use deterministic job ids where a job must run once.
 */
export const QUEUES = { maintenance: 'maintenance', zoning: 'zoning' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'audit.verify-chain': Record<string, never>;
  'auth.purge-expired-tokens': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/**
 * Jobs of the `zoning` queue (kept apart from JobPayloads because the maintenance processor switches
 * exhaustively over JobName): validation of a large plan at one row revision; the result is the problems.
 */
export interface ZoningJobPayloads {
  'zoning.validate': { planId: string; zoneId: string; rowVersion: number; toleranceM2: number; sliverM2: number };
}
export type ZoningJobName = keyof ZoningJobPayloads;
