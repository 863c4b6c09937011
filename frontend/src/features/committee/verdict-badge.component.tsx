import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { verdictLook } from './verdict';

/** A parcel's clearance verdict as a coloured tag, in the user's language. */
export function VerdictBadge({ verdict }: { verdict: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={verdictLook(verdict).color} data-testid={`verdict-${verdict}`} data-verdict={verdict}>
      {t(`committee.verdict.${verdict}`, { defaultValue: verdict })}
    </Tag>
  );
}
