import CameraOutlined from '@ant-design/icons/CameraOutlined';
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { DISPLAY_TIME_ZONE } from '../../shared/date-time.util';
import { validFields } from '../../shared/form.util';
import { addPhotos, PHOTO_LIMITS } from '../field/photo-limits';
import { authorityApi, awaitsNationalAnswer, MEASURES, type Discovery, type Measures } from './authority.api';

interface ActionsProps {
  discovery: Discovery;
  onChanged: (next: Discovery) => void;
}

/** The server's refusal, as the server words it (409 before measures are done, 422 a future arrival …). */
function useActionRunner(onChanged: (next: Discovery) => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (key: string, call: () => Promise<Discovery>, done: string) => {
    setBusy(key);
    setError(null);
    try {
      const next = await call();
      void message.success(done);
      onChanged(next);
    } catch (cause) {
      if (cause instanceof ApiError) {
        setError(cause.message || (cause.isNetworkError ? t('errors.network') : t('errors.http', { status: cause.status })));
      } else setError(t('errors.network'));
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run, clearError: () => setError(null) };
}

const toIso = (local: string) => dayjs.tz(local, DISPLAY_TIME_ZONE).format('YYYY-MM-DDTHH:mm:ssZ');
const nowLocal = () => dayjs().tz(DISPLAY_TIME_ZONE).format('YYYY-MM-DDTHH:mm');
/** to the second: an answer recorded in the report's own minute is still after the report */
const nowLocalSeconds = () => dayjs().tz(DISPLAY_TIME_ZONE).format('YYYY-MM-DDTHH:mm:ss');

/** The authority's next step on a report, and resumption (which the server refuses until measures are done). */
export function DiscoveryActions({ discovery, onChanged }: ActionsProps) {
  const { t } = useTranslation();
  const runner = useActionRunner(onChanged);
  const allowed = discovery.allowedActions;
  const closed = discovery.state === 'closed';
  // The national answer is not a step of the workflow: it may come in while the measures run or after closing.
  const national = awaitsNationalAnswer(discovery);
  if (closed && !national) {
    return <Alert type="success" showIcon message={t('authority.closedNotice')} data-testid="closed-notice" />;
  }
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="discovery-actions">
      {closed && <Alert type="success" showIcon message={t('authority.closedNotice')} data-testid="closed-notice" />}
      {runner.error && (
        <Alert type="error" showIcon closable onClose={runner.clearError} message={runner.error} data-testid="action-error" />
      )}
      {allowed.includes('record-arrival') && <ArrivalForm discovery={discovery} runner={runner} />}
      {allowed.includes('issue-opinion') && <OpinionForm discovery={discovery} runner={runner} />}
      {national && <NationalAnswerForm discovery={discovery} runner={runner} />}
      {allowed.includes('complete-measures') && <MeasuresForm discovery={discovery} runner={runner} />}
      {!closed && <ResumptionForm discovery={discovery} runner={runner} ready={allowed.includes('authorize-resumption')} />}
    </Space>
  );
}

type Runner = ReturnType<typeof useActionRunner>;

function ArrivalForm({ discovery, runner }: { discovery: Discovery; runner: Runner }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ arrivedAt: string; people: string[]; notes?: string }>();
  const [photos, setPhotos] = useState<File[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const submit = async () => {
    const v = await validFields(form);
    if (!v) return;
    await runner.run(
      'arrival',
      () => authorityApi.recordArrival(discovery.id, { arrivedAt: toIso(v.arrivedAt), people: v.people, notes: v.notes || undefined }, photos),
      t('authority.arrivalRecorded'),
    );
  };
  return (
    <Card size="small" title={t('authority.arrivalTitle')} data-testid="arrival-form">
      <Form form={form} layout="vertical" name="arrival" initialValues={{ arrivedAt: nowLocal(), people: [] }}>
        <Form.Item name="arrivedAt" label={t('authority.arrivedAt')} rules={[{ required: true, message: t('authority.arrivedAtRequired') }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item
          name="people"
          label={t('authority.people')}
          rules={[{ required: true, type: 'array', min: 1, message: t('authority.peopleRequired') }]}
          extra={t('authority.peopleHint')}
        >
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', '、', ' ']} placeholder={t('authority.peoplePlaceholder')} />
        </Form.Item>
        <Form.Item name="notes" label={t('authority.notes')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={t('authority.arrivalPhotos')}>
          <input ref={input} type="file" accept="image/*" capture="environment" multiple style={{ display: 'none' }} data-testid="arrival-photo-input"
            onChange={(e) => {
              const chosen = addPhotos(photos, Array.from(e.target.files ?? []));
              setPhotos(chosen.accepted);
              if (chosen.refused.length) {
                void message.warning(chosen.refused.map((r) => t(`field.photoRefused.${r.reason}`, { name: r.name, max: PHOTO_LIMITS.maxFiles })).join('；'));
              }
              e.target.value = '';
            }}
          />
          <Space wrap>
            <Button icon={<CameraOutlined />} onClick={() => input.current?.click()}>
              {t('authority.addPhotos')}
            </Button>
            {photos.map((p, i) => (
              <Typography.Text key={`${p.name}-${i}`} type="secondary">
                {p.name}
              </Typography.Text>
            ))}
          </Space>
        </Form.Item>
        <Button type="primary" loading={runner.busy === 'arrival'} onClick={() => void submit()} data-testid="submit-arrival">
          {t('authority.recordArrival')}
        </Button>
      </Form>
    </Card>
  );
}

function OpinionForm({ discovery, runner }: { discovery: Discovery; runner: Runner }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ measures: Measures; important: boolean; text: string }>();
  const submit = async () => {
    const v = await validFields(form);
    if (!v) return;
    await runner.run('opinion', () => authorityApi.issueOpinion(discovery.id, { ...v, important: Boolean(v.important) }), t('authority.opinionIssued'));
  };
  return (
    <Card size="small" title={t('authority.opinionTitle')} data-testid="opinion-form">
      <Form form={form} layout="vertical" name="opinion" initialValues={{ important: false }}>
        <Form.Item name="measures" label={t('authority.measures')} rules={[{ required: true, message: t('authority.measuresRequired') }]}>
          <Radio.Group>
            <Space direction="vertical">
              {MEASURES.map((m) => (
                <Radio key={m} value={m} data-testid={`measures-${m}`}>
                  {t(`authority.measure.${m}`)}
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {t(`authority.measureHint.${m}`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="important" label={t('authority.important')} valuePropName="checked" extra={t('authority.importantHint')}>
          <Switch data-testid="important-switch" />
        </Form.Item>
        <Form.Item name="text" label={t('authority.opinionText')} rules={[{ required: true, whitespace: true, message: t('authority.opinionTextRequired') }]}>
          <Input.TextArea rows={4} placeholder={t('authority.opinionPlaceholder')} />
        </Form.Item>
        <Button type="primary" loading={runner.busy === 'opinion'} onClick={() => void submit()} data-testid="submit-opinion">
          {t('authority.issueOpinion')}
        </Button>
      </Form>
    </Card>
  );
}

/** DOMAIN §4.5: the national administration's (国家文物局) answer on an important find; it meets the 15-day deadline. */
function NationalAnswerForm({ discovery, runner }: { discovery: Discovery; runner: Runner }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ answeredAt: string; reference: string; text?: string }>();
  const submit = async () => {
    const v = await validFields(form);
    if (!v) return;
    const text = v.text?.trim();
    await runner.run(
      'national',
      () => authorityApi.recordNationalAnswer(discovery.id, { answeredAt: toIso(v.answeredAt), reference: v.reference.trim(), ...(text ? { text } : {}) }),
      t('authority.nationalAnswerRecorded'),
    );
  };
  return (
    <Card size="small" title={t('authority.nationalAnswerTitle')} data-testid="national-answer-form">
      <Form form={form} layout="vertical" name="national" initialValues={{ answeredAt: nowLocalSeconds() }}>
        <Form.Item name="answeredAt" label={t('authority.answeredAt')} rules={[{ required: true, message: t('authority.answeredAtRequired') }]}>
          <Input type="datetime-local" step={1} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t('authority.answerReference')}
          rules={[
            { required: true, whitespace: true, message: t('authority.answerReferenceRequired') },
            { max: 100, message: t('authority.answerReferenceTooLong') },
          ]}
        >
          <Input placeholder={t('authority.answerReferencePlaceholder')} maxLength={100} />
        </Form.Item>
        <Form.Item name="text" label={t('authority.answerText')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Button type="primary" loading={runner.busy === 'national'} onClick={() => void submit()} data-testid="submit-national-answer">
          {t('authority.recordNationalAnswer')}
        </Button>
      </Form>
    </Card>
  );
}

function MeasuresForm({ discovery, runner }: { discovery: Discovery; runner: Runner }) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState('');
  return (
    <Card size="small" title={t('authority.measuresTitle')} data-testid="measures-form">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('authority.measuresOf', { measures: discovery.opinion ? t(`authority.measure.${discovery.opinion.measures}`) : '' })}
        </Typography.Text>
        <Input.TextArea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder={t('authority.measuresNotes')} />
        <Button
          type="primary"
          loading={runner.busy === 'measures'}
          onClick={() => void runner.run('measures', () => authorityApi.completeMeasures(discovery.id, notes.trim() || undefined), t('authority.measuresDone'))}
          data-testid="submit-measures"
        >
          {t('authority.completeMeasures')}
        </Button>
      </Space>
    </Card>
  );
}

function ResumptionForm({ discovery, runner, ready }: { discovery: Discovery; runner: Runner; ready: boolean }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Card size="small" title={t('authority.resumptionTitle')} data-testid="resumption-form">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type={ready ? undefined : 'secondary'}>{t(ready ? 'authority.resumptionReady' : 'authority.resumptionNotYet')}</Typography.Text>
        <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('authority.resumptionReason')} />
        <Button
          type={ready ? 'primary' : 'default'}
          loading={runner.busy === 'resume'}
          onClick={() => void runner.run('resume', () => authorityApi.authorizeResumption(discovery.id, reason.trim() || undefined), t('authority.resumed'))}
          data-testid="submit-resumption"
        >
          {t('authority.authorizeResumption')}
        </Button>
      </Space>
    </Card>
  );
}
