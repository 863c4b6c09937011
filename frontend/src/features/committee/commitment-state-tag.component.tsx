import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CommitmentState } from './committee.api';

const STATE_COLORS: Record<CommitmentState, string> = {
  draft: 'default',
  submitted: 'processing',
  accepted: 'success',
  rejected: 'error',
};

export function CommitmentStateTag({ state }: { state: CommitmentState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid={`letter-state-${state}`}>
      {t(`committee.letterState.${state}`)}
    </Tag>
  );
}
