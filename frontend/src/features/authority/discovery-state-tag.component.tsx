import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DiscoveryState } from './authority.api';

const COLOR: Record<DiscoveryState, string> = {
  reported: 'volcano',
  on_site: 'orange',
  opinion_issued: 'gold',
  measures_done: 'blue',
  closed: 'green',
};

export function DiscoveryStateTag({ state }: { state: DiscoveryState }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOR[state]} data-testid="discovery-state" data-state={state}>
      {t(`authority.state.${state}`)}
    </Tag>
  );
}
