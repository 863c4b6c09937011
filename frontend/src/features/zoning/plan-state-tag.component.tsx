import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlanState } from './zoning.api';

const STATE_COLORS: Record<PlanState, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'warning',
  approved: 'cyan',
  issued: 'success',
  superseded: 'default',
};

export function PlanStateTag({ state }: { state: PlanState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`plan-state-${state}`}>
      {t(`zoning.state.${state}`)}
    </Tag>
  );
}
