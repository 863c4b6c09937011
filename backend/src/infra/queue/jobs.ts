/**
 * Typed job registry: every queue, job name and payload in one place. Payloads carry ids and storage
 * keys, never files. Handlers are idempotent and use deterministic job ids where a job must run once.
 */
export const QUEUES = { maintenance: 'maintenance' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'audit.verify-chain': Record<string, never>;
  'auth.purge-expired-tokens': Record<string, never>;
}
export type JobName = keyof JobPayloads;
