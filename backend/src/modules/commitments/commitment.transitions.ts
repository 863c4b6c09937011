import { registerTerms } from '../../infra/i18n/messages';
import { Transitions } from '../workflow/transitions';

export const COMMITMENT_STATES = ['draft', 'submitted', 'accepted', 'rejected'] as const;
export type CommitmentState = (typeof COMMITMENT_STATES)[number];
export const COMMITMENT_ACTIONS = ['submit', 'accept', 'reject'] as const;
export type CommitmentAction = (typeof COMMITMENT_ACTIONS)[number];

/**
 * DOMAIN.md §4.3: the zone's committee signs and submits (the letter freezes: PDF + SHA-256); the
 * provincial bureau's reviewers accept or reject it with a reason. Accepted and rejected are final; a
 * rejected letter is answered with a new letter.
 */
export const COMMITMENT_TRANSITIONS: Transitions<CommitmentState, CommitmentAction> = {
  submit: { from: ['draft'], to: 'submitted', roles: ['committee_officer'] },
  accept: { from: ['submitted'], to: 'accepted', roles: ['reviewer'] },
  reject: { from: ['submitted'], to: 'rejected', roles: ['reviewer'] },
};

// The names of the states and actions in 409 messages (the codes stay in `details`).
registerTerms('state', {
  draft: { 'zh-CN': '草稿', en: 'draft' },
  submitted: { 'zh-CN': '已提交', en: 'submitted' },
  accepted: { 'zh-CN': '已接受', en: 'accepted' },
  rejected: { 'zh-CN': '已驳回', en: 'rejected' },
} satisfies Record<CommitmentState, { 'zh-CN': string; en: string }>);
registerTerms('action', {
  submit: { 'zh-CN': '提交', en: 'submit' },
  accept: { 'zh-CN': '接受', en: 'accept' },
  reject: { 'zh-CN': '驳回', en: 'reject' },
} satisfies Record<CommitmentAction, { 'zh-CN': string; en: string }>);
