import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { rgba, zoneCategoryColor } from '../../map/map-colors.data';

/** The category as the map draws it, so the list and the map read the same. */
export function ZoneCategoryTag({ category }: { category: string }) {
  const { t } = useTranslation();
  const color = zoneCategoryColor(category);
  return (
    <Tag style={{ color: color.stroke, borderColor: color.stroke, background: rgba(color, 0.5) }}>
      {t(`zoneCategory.${category}`, { defaultValue: category })}
    </Tag>
  );
}
