import { Alert, Form, Radio, Select, Space, Tag } from 'antd';
import type { Feature } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zoningCategoryColor } from '../../map/map-colors.data';
import { previewIndexOf } from '../../map/layers/preview-layer.component';
import type { ImportPreview } from '../imports/imports.api';
import { attributesOf, guessedMap, initialChoice, unmappedValues, valuesOf, type AreaImportChoice } from './area-import.mapping';
import { ZONING_CATEGORIES, type ZoningCategory } from './zoning.api';

interface AreaImportPanelProps {
  preview: ImportPreview;
  selected: ReadonlySet<number>;
  /** the current choice and whether it is complete enough to commit */
  onChange: (choice: AreaImportChoice, complete: boolean) => void;
}

/** In the import wizard's preview: where each row's category, rationale and name come from. */
export function AreaImportPanel({ preview, selected, onChange }: AreaImportPanelProps) {
  const { t } = useTranslation();
  const all = preview.features.features;
  const chosen: Feature[] = useMemo(() => all.filter((_, position) => selected.has(previewIndexOf(preview.features, position))), [all, preview.features, selected]);
  const attributes = useMemo(() => attributesOf(all), [all]);
  const [choice, setChoice] = useState<AreaImportChoice>(() => initialChoice(all));
  useEffect(() => setChoice(initialChoice(all)), [preview.importId]);

  const missing = unmappedValues(choice, chosen);
  useEffect(() => onChange(choice, missing.length === 0), [choice, missing.length]);

  const categoryOptions = ZONING_CATEGORIES.map((c) => ({ value: c, label: <Tag color={zoningCategoryColor(c).stroke}>{t(`zoningCategory.${c}`)}</Tag> }));
  const attributeOptions = attributes.map((a) => ({ value: a, label: a }));
  const source = choice.source;

  return (
    <div className="qz-area-import" data-testid="area-import-mapping">
      <Form layout="vertical" size="small">
        <Form.Item label={t('zoning.import.categoryFrom')} style={{ marginBottom: 8 }}>
          <Space wrap>
            <Radio.Group
              optionType="button"
              value={source.mode}
              onChange={(e) =>
                setChoice((c) => ({
                  ...c,
                  source:
                    e.target.value === 'fixed'
                      ? { mode: 'fixed', category: 'exploration' }
                      : { mode: 'field', field: attributes[0] ?? '', map: attributes[0] ? guessedMap(all, attributes[0]) : {} },
                }))
              }
              options={[
                { value: 'field', label: t('zoning.import.fromAttribute'), disabled: attributes.length === 0 },
                { value: 'fixed', label: t('zoning.import.oneForAll') },
              ]}
              data-testid="area-import-mode"
            />
            {source.mode === 'fixed' ? (
              <Select<ZoningCategory>
                style={{ minWidth: 120 }}
                value={source.category}
                options={categoryOptions}
                onChange={(category) => setChoice((c) => ({ ...c, source: { mode: 'fixed', category } }))}
                data-testid="area-import-category"
              />
            ) : (
              <Select<string>
                style={{ minWidth: 160 }}
                value={source.field}
                options={attributeOptions}
                onChange={(field) => setChoice((c) => ({ ...c, source: { mode: 'field', field, map: guessedMap(all, field) } }))}
                aria-label={t('zoning.import.categoryAttribute')}
                data-testid="area-import-field"
              />
            )}
          </Space>
        </Form.Item>
        {source.mode === 'field' && (
          <Form.Item label={t('zoning.import.valueMap')} style={{ marginBottom: 8 }}>
            <div className="qz-area-import-map">
              {valuesOf(chosen, source.field).map((value) => (
                <Space key={value} style={{ marginRight: 16, marginBottom: 4 }}>
                  <span className="qz-area-import-value">{value === '' ? t('zoning.import.emptyValue') : value}</span>
                  →
                  <Select<ZoningCategory>
                    style={{ minWidth: 110 }}
                    value={source.map[value]}
                    placeholder={t('zoning.import.pickCategory')}
                    options={categoryOptions}
                    status={source.map[value] ? undefined : 'warning'}
                    onChange={(category) =>
                      setChoice((c) => (c.source.mode === 'field' ? { ...c, source: { ...c.source, map: { ...c.source.map, [value]: category } } } : c))
                    }
                    data-testid={`area-import-value-${value}`}
                  />
                </Space>
              ))}
            </div>
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item label={t('zoning.import.rationaleAttribute')} style={{ marginBottom: 8 }}>
            <Select<string>
              allowClear
              style={{ minWidth: 160 }}
              value={choice.rationaleField ?? undefined}
              placeholder={t('zoning.import.none')}
              options={attributeOptions}
              onChange={(field) => setChoice((c) => ({ ...c, rationaleField: field ?? null }))}
              data-testid="area-import-rationale"
            />
          </Form.Item>
          <Form.Item label={t('zoning.import.labelAttribute')} style={{ marginBottom: 8 }}>
            <Select<string>
              allowClear
              style={{ minWidth: 160 }}
              value={choice.labelField ?? undefined}
              placeholder={t('zoning.import.none')}
              options={attributeOptions}
              onChange={(field) => setChoice((c) => ({ ...c, labelField: field ?? null }))}
              data-testid="area-import-label"
            />
          </Form.Item>
        </Space>
      </Form>
      {missing.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t('zoning.import.unmapped', { values: missing.map((v) => v || t('zoning.import.emptyValue')).join('、') })} />
      )}
    </div>
  );
}
