import CloseOutlined from '@ant-design/icons/CloseOutlined';
import { App, Button, Card, Form, Input, Space, Spin } from 'antd';
import type { Polygon } from 'geojson';
import { useTranslation } from 'react-i18next';
import { useBusyAction } from '../../api/use-api-query.hook';
import { ClearancePanel } from './clearance-panel.component';
import { committeeApi, type Clearance, type ParcelDetail } from './committee.api';
import { verdictLook } from './verdict';

interface ParcelValues {
  code: string;
  name: string;
  plannedUse: string;
}

interface DrawnShapePanelProps {
  zoneId: string;
  geometry: Polygon;
  clearance: Clearance | null;
  onClose: () => void;
  onRegistered: (parcel: ParcelDetail) => void;
  onExplorationRequested: () => void;
}

/** A shape just drawn: its clearance at once, then register it as a parcel or apply for its exploration. */
export function DrawnShapePanel({ zoneId, geometry, clearance, onClose, onRegistered, onExplorationRequested }: DrawnShapePanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ParcelValues>();
  const { busy, run } = useBusyAction();

  const register = async () => {
    let values: ParcelValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    await run(async () =>
      onRegistered(
        await committeeApi.createParcel({ zoneId, code: values.code.trim(), name: values.name.trim(), plannedUse: values.plannedUse.trim(), geometry }),
      ),
    );
  };

  const explore = () =>
    run(async () => {
      await committeeApi.applyExploration({ zoneId, geometry });
      void message.success(t('committee.explorations.requestedShape'));
      onExplorationRequested();
    });

  return (
    <Card
      size="small"
      style={{ margin: '8px 0' }}
      title={t('committee.parcels.drawnTitle')}
      extra={<Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('committee.close')} />}
      data-testid="drawn-panel"
    >
      {clearance ? <ClearancePanel clearance={clearance} /> : <Spin />}
      <Form form={form} layout="vertical" style={{ marginTop: 12 }} initialValues={{ plannedUse: t('committee.parcels.defaultUse') }}>
        <Form.Item name="code" label={t('committee.parcels.code')} rules={[{ required: true, whitespace: true, message: t('committee.parcels.codeRequired') }, { max: 60 }]}>
          <Input data-testid="parcel-code" maxLength={60} placeholder="TL-2026-07" />
        </Form.Item>
        <Form.Item name="name" label={t('committee.parcels.name')} rules={[{ required: true, whitespace: true, message: t('committee.parcels.nameRequired') }, { max: 200 }]}>
          <Input data-testid="parcel-name" maxLength={200} />
        </Form.Item>
        <Form.Item name="plannedUse" label={t('committee.parcels.plannedUse')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
          <Input data-testid="parcel-use" maxLength={100} />
        </Form.Item>
        <Space wrap>
          <Button type="primary" loading={busy} disabled={!clearance} onClick={() => void register()} data-testid="parcel-register">
            {t('committee.parcels.register')}
          </Button>
          {clearance && verdictLook(clearance.verdict).mayApplyExploration && (
            <Button loading={busy} onClick={() => void explore()} data-testid="apply-exploration-shape">
              {t('committee.explorations.applyShape')}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}
