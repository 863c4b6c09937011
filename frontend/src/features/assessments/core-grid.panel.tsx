import CloseOutlined from '@ant-design/icons/CloseOutlined';
import { App, Button, Card, Form, InputNumber, Radio, Space, Typography } from 'antd';
import type { Polygon } from 'geojson';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { DrawPolygonTool } from '../../map/tools/draw-polygon.tool';
import { assessmentsApi, type CoreGridRequest } from './assessments.api';

interface CoreGridPanelProps {
  assessmentId: string;
  onClose: () => void;
  /** after the grid was created: the cores layer refetches its tiles */
  onGenerated: (count: number) => void;
}

/**
 * 生成探孔网格: planned cores at a spacing in metres, square or quincunx (梅花), inside a polygon drawn on
 * the map or the whole zone. The server lays the grid out in the local Gauss–Krüger zone.
 */
export function CoreGridPanel({ assessmentId, onClose, onGenerated }: CoreGridPanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [area, setArea] = useState<'zone' | 'polygon'>('zone');
  const [polygon, setPolygon] = useState<Polygon | null>(null);
  const [spacingM, setSpacingM] = useState<number | null>(50);
  const [pattern, setPattern] = useState<CoreGridRequest['pattern']>('square');
  const [busy, setBusy] = useState(false);

  const drawing = area === 'polygon' && polygon === null;
  const ready = spacingM !== null && spacingM > 0 && (area === 'zone' || polygon !== null);

  const submit = async () => {
    if (!ready || spacingM === null) return;
    setBusy(true);
    try {
      const answer = await assessmentsApi.generateGrid(assessmentId, {
        spacingM,
        pattern,
        ...(area === 'polygon' && polygon ? { polygon } : {}),
      });
      void message.success(t('grid.generated', { count: answer.created }));
      onGenerated(answer.created);
      setPolygon(null);
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="qz-map-panel qz-grid-panel"
      title={t('grid.title')}
      data-testid="core-grid-panel"
      extra={<Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('map.close')} onClick={onClose} />}
    >
      <DrawPolygonTool active={drawing} onDrawn={setPolygon} drawn={area === 'polygon' ? polygon : null} />
      <Form layout="vertical" size="small">
        <Form.Item label={t('grid.area')}>
          <Radio.Group
            value={area}
            onChange={(e) => {
              setArea(e.target.value as 'zone' | 'polygon');
              setPolygon(null);
            }}
            options={[
              { value: 'zone', label: t('grid.wholeZone') },
              { value: 'polygon', label: t('grid.drawPolygon') },
            ]}
          />
          {area === 'polygon' && (
            <Typography.Text type={polygon ? 'success' : 'secondary'} style={{ display: 'block', marginTop: 4 }}>
              {polygon ? t('grid.polygonReady') : t('grid.drawHint')}
            </Typography.Text>
          )}
        </Form.Item>
        <Form.Item label={t('grid.spacing')}>
          <InputNumber
            min={5}
            max={1000}
            step={5}
            value={spacingM}
            onChange={(v) => setSpacingM(typeof v === 'number' ? v : null)}
            addonAfter={t('units.m')}
            style={{ width: '100%' }}
            data-testid="grid-spacing"
          />
        </Form.Item>
        <Form.Item label={t('grid.pattern')}>
          <Radio.Group
            value={pattern}
            onChange={(e) => setPattern(e.target.value as CoreGridRequest['pattern'])}
            options={[
              { value: 'square', label: t('grid.square') },
              { value: 'quincunx', label: t('grid.quincunx') },
            ]}
          />
        </Form.Item>
        <Space>
          <Button type="primary" disabled={!ready} loading={busy} onClick={() => void submit()} data-testid="grid-submit">
            {t('grid.submit')}
          </Button>
          {area === 'polygon' && polygon && <Button onClick={() => setPolygon(null)}>{t('grid.redraw')}</Button>}
        </Space>
      </Form>
    </Card>
  );
}
