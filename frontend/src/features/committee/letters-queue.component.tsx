import CheckOutlined from '@ant-design/icons/CheckOutlined';
import CloseOutlined from '@ant-design/icons/CloseOutlined';
import FilePdfOutlined from '@ant-design/icons/FilePdfOutlined';
import { App, Button, Form, Input, Modal, Popconfirm, Segmented, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatDateTime } from '../../shared/date-time.util';
import { committeeApi, type Commitment } from './committee.api';
import { CommitmentStateTag } from './commitment-state-tag.component';
import { letterFileName } from './signed-letter.component';
import { PageHeader } from '../../layout/page-header.component';

type Filter = 'queue' | 'all';

/**
 * The reviewers' letters queue: submitted letters with their SHA-256, the frozen PDF to read, and the decision
 * (accept, or reject with a reason the committee will see).
 */
export function LettersQueue() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [filter, setFilter] = useState<Filter>('queue');
  const letters = useApiQuery(() => committeeApi.letters(filter === 'queue' ? { state: 'submitted' } : {}), [filter]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Commitment | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const decide = async (letter: Commitment, action: 'accept' | 'reject', reason?: string): Promise<boolean> => {
    setBusyId(letter.id);
    try {
      await committeeApi.actOnLetter(letter.id, action, reason);
      void message.success(t(action === 'accept' ? 'committee.queue.accepted' : 'committee.queue.rejected', { zone: letter.zoneName }));
      letters.reload();
      return true;
    } catch (error) {
      notify(error);
      letters.reload();
      return false;
    } finally {
      setBusyId(null);
    }
  };

  const reject = async () => {
    if (!rejecting) return;
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    if (await decide(rejecting, 'reject', reason)) {
      setRejecting(null);
      form.resetFields();
    }
  };

  const columns: TableColumnsType<Commitment> = [
    {
      title: t('committee.queue.zone'),
      key: 'zone',
      render: (_: unknown, l) => (
        <div>
          <Typography.Text strong>{l.zoneName}</Typography.Text>
          <div className="qz-cell-secondary">
            {l.zoneCode} · v{l.planVersion} {l.documentNumber ?? ''}
          </div>
        </div>
      ),
    },
    { title: t('committee.letter.state'), key: 'state', width: 100, render: (_: unknown, l) => <CommitmentStateTag state={l.state} /> },
    { title: t('committee.letter.signatory'), key: 'signatory', render: (_: unknown, l) => `${l.signatoryName}（${l.signatoryTitle}）` },
    {
      title: t('committee.letter.signedAt'),
      key: 'signedAt',
      width: 170,
      render: (_: unknown, l) => (l.signedAt ? formatDateTime(l.signedAt, language) : t('common.empty')),
    },
    {
      title: 'SHA-256',
      key: 'sha',
      width: 150,
      render: (_: unknown, l) =>
        l.pdfSha256 ? (
          <Typography.Text code copyable={{ text: l.pdfSha256 }} title={l.pdfSha256}>
            {l.pdfSha256.slice(0, 12)}…
          </Typography.Text>
        ) : (
          t('common.empty')
        ),
    },
    {
      title: t('zones.actions'),
      key: 'actions',
      width: 260,
      render: (_: unknown, l) => (
        <Space size={4} wrap>
          {l.pdfSha256 && (
            <Button
              size="small"
              icon={<FilePdfOutlined />}
              onClick={() => committeeApi.downloadLetter(l.id, letterFileName(l)).catch(notify)}
              data-testid={`queue-pdf-${l.zoneCode}-v${l.planVersion}`}
            >
              {t('committee.queue.pdf')}
            </Button>
          )}
          {l.allowedActions.includes('accept') && (
            <Popconfirm
              title={t('committee.queue.acceptConfirm', { zone: l.zoneName, version: l.planVersion })}
              okText={t('committee.queue.accept')}
              cancelText={t('common.cancel')}
              onConfirm={() => void decide(l, 'accept')}
            >
              <Button size="small" type="primary" icon={<CheckOutlined />} loading={busyId === l.id} data-testid={`queue-accept-${l.zoneCode}-v${l.planVersion}`}>
                {t('committee.queue.accept')}
              </Button>
            </Popconfirm>
          )}
          {l.allowedActions.includes('reject') && (
            <Button
              size="small"
              danger
              icon={<CloseOutlined />}
              disabled={busyId === l.id}
              onClick={() => setRejecting(l)}
              data-testid={`queue-reject-${l.zoneCode}-v${l.planVersion}`}
            >
              {t('committee.queue.reject')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="letters-queue">
      <PageHeader title={t('committee.queue.title')} subtitle={t('committee.queue.subtitle')}>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'queue', label: t('committee.queue.filterQueue') },
            { value: 'all', label: t('committee.queue.filterAll') },
          ]}
        />
      </PageHeader>
      <Table<Commitment>
        rowKey="id"
        size="middle"
        loading={letters.loading}
        columns={columns}
        dataSource={letters.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 900 }}
        locale={{ emptyText: filter === 'queue' ? t('committee.queue.empty') : t('committee.queue.none') }}
        data-testid="letters-queue-table"
      />
      <Modal
        open={rejecting !== null}
        title={t('committee.queue.rejectTitle', { zone: rejecting?.zoneName ?? '' })}
        okText={t('committee.queue.reject')}
        okButtonProps={{ danger: true, loading: busyId !== null }}
        cancelText={t('common.cancel')}
        onOk={() => void reject()}
        onCancel={() => {
          setRejecting(null);
          form.resetFields();
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="reject-dialog">
          <Form.Item
            name="reason"
            label={t('committee.queue.reason')}
            rules={[{ required: true, whitespace: true, message: t('committee.queue.reasonRequired') }, { max: 2000 }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
