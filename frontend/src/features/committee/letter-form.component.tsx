import EditOutlined from '@ant-design/icons/EditOutlined';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { committeeApi, type Commitment, type CommitmentDetail, type CommitmentPreview } from './committee.api';
import { LetterText } from './letter-text.component';

interface LetterFormValues {
  signatoryName: string;
  signatoryTitle: string;
  /** one extra clause per line */
  extraClauses: string;
}

/** Extra clauses as the user typed them: one per non-empty line. */
export function clausesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

const PREVIEW_DELAY_MS = 300;

interface LetterFormProps {
  planId: string;
  /** a draft of this plan left from an earlier attempt: the form continues it instead of starting another */
  draft?: Commitment | null;
  /** after sign & submit: the frozen letter with its SHA-256 */
  onSubmitted: (letter: CommitmentDetail) => void;
  onCancel?: () => void;
}

/**
 * The commitment letter form: signatory, title and extra clauses on the left, the letter as the server will
 * freeze it on the right (the same template renders the PDF), updated as the user types. The date is the
 * signing day: it is fixed by the server at submission, so the form shows it but does not let it be changed.
 */
export function LetterForm({ planId, draft = null, onSubmitted, onCancel }: LetterFormProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [form] = Form.useForm<LetterFormValues>();
  const name = Form.useWatch('signatoryName', form);
  const title = Form.useWatch('signatoryTitle', form);
  const extra = Form.useWatch('extraClauses', form);
  const [preview, setPreview] = useState<CommitmentPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    const timer = setTimeout(() => {
      committeeApi
        .preview({ planId, signatoryName: name ?? '', signatoryTitle: title ?? '', extraClauses: clausesOf(extra) })
        .then(
          (next) => {
            if (mine !== generation.current) return;
            setPreview(next);
            setPreviewError(null);
          },
          (error: unknown) => {
            if (mine !== generation.current) return;
            setPreviewError(error instanceof Error && error.message ? error.message : t('errors.network'));
          },
        )
        .finally(() => mine === generation.current && setLoading(false));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [planId, name, title, extra, t]);

  const signAndSubmit = async () => {
    let values: LetterFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSubmitting(true);
    try {
      const fields = {
        signatoryName: values.signatoryName.trim(),
        signatoryTitle: values.signatoryTitle.trim(),
        extraClauses: clausesOf(values.extraClauses),
      };
      const saved = draft ? await committeeApi.updateLetter(draft.id, fields) : await committeeApi.createLetter({ planId, ...fields });
      const submitted = await committeeApi.actOnLetter(saved.id, 'submit');
      void message.success(t('committee.letter.submitted'));
      onSubmitted(submitted);
    } catch (error) {
      notify(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="qz-letter-form" data-testid="letter-form">
      <Card size="small" title={t('committee.letter.formTitle')} className="qz-letter-fields">
        <Form<LetterFormValues> form={form} layout="vertical" requiredMark initialValues={{
            signatoryName: draft?.signatoryName ?? '',
            signatoryTitle: draft?.signatoryTitle ?? '',
            extraClauses: (draft?.extraClauses ?? []).join('\n'),
          }}>
          <Form.Item
            name="signatoryName"
            label={t('committee.letter.signatoryName')}
            rules={[{ required: true, whitespace: true, message: t('committee.letter.signatoryNameRequired') }, { max: 50 }]}
          >
            <Input data-testid="letter-signatory-name" maxLength={50} />
          </Form.Item>
          <Form.Item
            name="signatoryTitle"
            label={t('committee.letter.signatoryTitle')}
            rules={[{ required: true, whitespace: true, message: t('committee.letter.signatoryTitleRequired') }, { max: 50 }]}
          >
            <Input data-testid="letter-signatory-title" maxLength={50} placeholder={t('committee.letter.titlePlaceholder')} />
          </Form.Item>
          <Form.Item label={t('committee.letter.date')} extra={t('committee.letter.dateHint')}>
            <Input data-testid="letter-date" readOnly value={preview?.letterDate ?? ''} />
          </Form.Item>
          <Form.Item name="extraClauses" label={t('committee.letter.extraClauses')} extra={t('committee.letter.extraClausesHint')}>
            <Input.TextArea data-testid="letter-extra-clauses" autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
          {preview && (
            <Typography.Paragraph type="secondary" data-testid="letter-release-mu">
              {t('committee.letter.covers', { count: preview.releaseAreas.length, mu: formatArea(preview.releaseMu, language) })}
            </Typography.Paragraph>
          )}
          <div className="qz-letter-buttons">
            {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
            <Popconfirm
              title={t('committee.letter.confirmTitle')}
              description={<div style={{ maxWidth: 320 }}>{t('committee.letter.confirmText')}</div>}
              okText={t('committee.letter.sign')}
              cancelText={t('common.cancel')}
              onConfirm={() => void signAndSubmit()}
            >
              <Button type="primary" icon={<EditOutlined />} loading={submitting} disabled={!preview} data-testid="letter-sign">
                {t('committee.letter.sign')}
              </Button>
            </Popconfirm>
          </div>
        </Form>
      </Card>
      <Card
        size="small"
        className="qz-letter-preview"
        title={
          <span>
            {t('committee.letter.preview')} {loading && <Spin size="small" />}
          </span>
        }
      >
        {previewError && <Alert type="error" showIcon message={previewError} />}
        {preview && <LetterText letter={preview.letter} testId="letter-preview" />}
      </Card>
    </div>
  );
}
