import CameraOutlined from '@ant-design/icons/CameraOutlined';
import DeleteOutlined from '@ant-design/icons/DeleteOutlined';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Geometry } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/auth.context';
import { DISPLAY_TIME_ZONE } from '../../shared/date-time.util';
import { validFields } from '../../shared/form.util';
import { parcelOutline, SUSPECTED_TYPES, type DiscoveryReportBody, type Project } from './field.api';
import { LocationPicker, type PickedLocation } from './location-picker.component';
import { addPhotos, PHOTO_LIMITS } from './photo-limits';
import { fieldOutbox, OUTBOX_IS_DURABLE } from './outbox/field-outbox';

interface FormValues {
  foundAt: string;
  depthM: number | null;
  suspectedType: string;
  description: string;
}

/** `YYYY-MM-DDTHH:mm` (what <input type="datetime-local"> holds), read as Beijing time. */
export function foundAtToIso(local: string): string {
  return dayjs.tz(local, DISPLAY_TIME_ZONE).format('YYYY-MM-DDTHH:mm:ssZ');
}

export function nowForInput(now: number = Date.now()): string {
  return dayjs(now).tz(DISPLAY_TIME_ZONE).format('YYYY-MM-DDTHH:mm');
}

/**
 * "Report a find", phone first: where (GPS or a tap), when (Beijing time, default now), how deep, what,
 * and photos from the camera. Submitting stores the report in the outbox at once; sending is the outbox's job.
 */
export function ReportFindForm({ project, onDone }: { project: Project; onDone: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [location, setLocation] = useState<PickedLocation | null>(null);
  const [locationMissing, setLocationMissing] = useState(false);
  const [photos, setPhotos] = useState<File[]>([]);
  const [parcel, setParcel] = useState<Geometry | null>(null);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let cancelled = false;
    // Offline: the outline kept from the last visit, or none; the GPS and the map tap work either way.
    void parcelOutline(project.parcelId).then((geometry) => !cancelled && setParcel(geometry));
    return () => {
      cancelled = true;
    };
  }, [project.parcelId]);

  const previews = useMemo(() => photos.map((file) => ({ file, url: URL.createObjectURL(file) })), [photos]);
  useEffect(() => () => previews.forEach((p) => URL.revokeObjectURL(p.url)), [previews]);

  const choosePhotos = (files: FileList | null) => {
    if (!files) return;
    const chosen = addPhotos(photos, Array.from(files));
    setPhotos(chosen.accepted);
    if (chosen.refused.length) {
      void message.warning(
        chosen.refused.map((r) => t(`field.photoRefused.${r.reason}`, { name: r.name, max: PHOTO_LIMITS.maxFiles })).join('；'),
      );
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const submit = async () => {
    const values = await validFields(form);
    if (!location) setLocationMissing(true);
    if (!values || !location) return;
    const report: DiscoveryReportBody = {
      projectId: project.id,
      location: { type: 'Point', coordinates: [location.lon, location.lat] },
      accuracyM: location.accuracyM,
      foundAt: foundAtToIso(values.foundAt),
      depthM: values.depthM ?? null,
      description: values.description.trim(),
      suspectedType: values.suspectedType,
    };
    setSaving(true);
    try {
      await fieldOutbox.enqueue({
        ownerId: user.id,
        projectId: project.id,
        projectName: project.name,
        report,
        photos: photos.map((file, i) => ({ name: file.name || `photo-${i + 1}.jpg`, type: file.type || 'image/jpeg', blob: file })),
      });
    } catch {
      setSaving(false);
      void message.error(t('field.saveFailed'));
      return;
    }
    setSaving(false);
    void message.success(t('field.savedToOutbox'));
    void fieldOutbox.flush(user.id, { force: true });
    onDone();
  };

  return (
    <div className="qz-field-page" data-testid="report-find-form">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('field.reportTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('field.reportIntro', { project: project.name })}</Typography.Paragraph>
      {!OUTBOX_IS_DURABLE && <Alert type="warning" showIcon message={t('field.notDurable')} style={{ marginBottom: 12 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        name="report"
        requiredMark
        initialValues={{ foundAt: nowForInput(), depthM: null, suspectedType: undefined, description: '' }}
      >
        <Card size="small" title={t('field.where')} style={{ marginBottom: 12 }}>
          <LocationPicker
            value={location}
            parcel={parcel}
            onChange={(next) => {
              setLocation(next);
              setLocationMissing(false);
            }}
          />
          {locationMissing && <Alert type="error" showIcon message={t('field.locationRequired')} style={{ marginTop: 8 }} />}
        </Card>
        <Card size="small" title={t('field.what')} style={{ marginBottom: 12 }}>
          <Form.Item
            name="foundAt"
            label={t('field.foundAt')}
            rules={[
              { required: true, message: t('field.foundAtRequired') },
              {
                validator: async (_r, v: string) => {
                  if (v && dayjs.tz(v, DISPLAY_TIME_ZONE).valueOf() > Date.now() + 60_000) throw new Error(t('field.foundAtFuture'));
                },
              },
            ]}
          >
            <Input type="datetime-local" size="large" />
          </Form.Item>
          <Form.Item name="depthM" label={t('field.depth')}>
            <InputNumber min={0} max={100} step={0.1} addonAfter={t('field.metres')} size="large" style={{ width: '100%' }} inputMode="decimal" />
          </Form.Item>
          <Form.Item name="suspectedType" label={t('field.suspectedType')} rules={[{ required: true, message: t('field.suspectedTypeRequired') }]}>
            <Select
              size="large"
              placeholder={t('field.suspectedTypePlaceholder')}
              options={SUSPECTED_TYPES.map((value) => ({ value, label: t(`field.types.${value}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('field.description')}
            rules={[{ required: true, whitespace: true, message: t('field.descriptionRequired') }, { max: 4000 }]}
          >
            <Input.TextArea rows={4} placeholder={t('field.descriptionPlaceholder')} />
          </Form.Item>
        </Card>
        <Card size="small" title={t('field.photos')} style={{ marginBottom: 12 }}>
          <input
            ref={fileInput}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            style={{ display: 'none' }}
            data-testid="photo-input"
            onChange={(e) => choosePhotos(e.target.files)}
          />
          <Button icon={<CameraOutlined />} size="large" block onClick={() => fileInput.current?.click()} disabled={photos.length >= PHOTO_LIMITS.maxFiles}>
            {t('field.takePhoto')}
          </Button>
          <div className="qz-photo-strip" data-testid="photo-previews">
            {previews.map(({ file, url }, i) => (
              <div key={url} className="qz-photo-thumb">
                <img src={url} alt={file.name} />
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('field.removePhoto')}
                  onClick={() => setPhotos((current) => current.filter((_f, j) => j !== i))}
                />
              </div>
            ))}
          </div>
          <Typography.Text type="secondary">{t('field.photoCount', { count: photos.length, max: PHOTO_LIMITS.maxFiles })}</Typography.Text>
        </Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button type="primary" danger size="large" block loading={saving} onClick={() => void submit()} data-testid="submit-report">
            {t('field.submit')}
          </Button>
          <Button size="large" block onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Typography.Text type="secondary">{t('field.submitHint')}</Typography.Text>
        </Space>
      </Form>
    </div>
  );
}
