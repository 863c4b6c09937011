import FilePdfOutlined from '@ant-design/icons/FilePdfOutlined';
import SafetyCertificateOutlined from '@ant-design/icons/SafetyCertificateOutlined';
import { App, Button, Descriptions, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { formatDateTime } from '../../shared/date-time.util';
import { committeeApi, type Commitment } from './committee.api';
import { CommitmentStateTag } from './commitment-state-tag.component';

export const letterFileName = (l: Pick<Commitment, 'zoneName' | 'planVersion'>) => `${l.zoneName}承诺书-v${l.planVersion}.pdf`;

/** A submitted letter's facts for every party: state, SHA-256 of the frozen PDF, the PDF itself, and a re-hash check. */
export function SignedLetter({ letter, releaseMu }: { letter: Commitment; releaseMu?: number }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [checking, setChecking] = useState(false);

  const verify = async () => {
    setChecking(true);
    try {
      const result = await committeeApi.verifyLetter(letter.id);
      if (result.ok) void message.success(t('committee.letter.verifyOk'));
      else void message.error(t('committee.letter.verifyFailed', { actual: result.actualSha256 }));
    } catch (error) {
      notify(error);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div data-testid="signed-letter">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('committee.letter.state')}>
          <CommitmentStateTag state={letter.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('committee.letter.plan')}>
          {letter.zoneName} · v{letter.planVersion} {letter.documentNumber ? `（${letter.documentNumber}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('committee.letter.signatory')}>
          {letter.signatoryName}（{letter.signatoryTitle}）
        </Descriptions.Item>
        {letter.signedAt && <Descriptions.Item label={t('committee.letter.signedAt')}>{formatDateTime(letter.signedAt, language)}</Descriptions.Item>}
        {releaseMu !== undefined && (
          <Descriptions.Item label={t('committee.letter.releaseLand')}>
            {formatArea(releaseMu, language)} {t('units.mu')}
          </Descriptions.Item>
        )}
        {letter.pdfSha256 && (
          <Descriptions.Item label="SHA-256">
            <Typography.Text code copyable data-testid="letter-sha256" className="qz-sha">
              {letter.pdfSha256}
            </Typography.Text>
          </Descriptions.Item>
        )}
        {letter.decidedAt && <Descriptions.Item label={t('committee.letter.decidedAt')}>{formatDateTime(letter.decidedAt, language)}</Descriptions.Item>}
        {letter.rejectReason && (
          <Descriptions.Item label={t('committee.letter.rejectReason')}>
            <Typography.Text type="danger" data-testid="letter-reject-reason">
              {letter.rejectReason}
            </Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      {letter.pdfSha256 && (
        <Space style={{ marginTop: 12 }}>
          <Button
            icon={<FilePdfOutlined />}
            onClick={() => committeeApi.downloadLetter(letter.id, letterFileName(letter)).catch(notify)}
            data-testid="letter-pdf"
          >
            {t('committee.letter.downloadPdf')}
          </Button>
          <Button icon={<SafetyCertificateOutlined />} loading={checking} onClick={() => void verify()} data-testid="letter-verify">
            {t('committee.letter.verify')}
          </Button>
        </Space>
      )}
    </div>
  );
}
