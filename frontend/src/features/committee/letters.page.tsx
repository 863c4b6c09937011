import PlusOutlined from '@ant-design/icons/PlusOutlined';
import { Alert, Button, Card, Drawer, Empty, Select, Space, Spin, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { formatDateTime } from '../../shared/date-time.util';
import { committeeApi, type Commitment, type CommitmentDetail } from './committee.api';
import { CommitmentStateTag } from './commitment-state-tag.component';
import { useCommitteeZone } from './committee-zone.hook';
import './committee.css';
import { LetterForm } from './letter-form.component';
import { LetterText } from './letter-text.component';
import { LettersQueue } from './letters-queue.component';
import { SignedLetter } from './signed-letter.component';
import { PageHeader } from '../../layout/page-header.component';

/** 承诺书: committees draft, sign and follow their letters; reviewers decide the queue. */
export function LettersPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const committee = user.roles.includes('committee_officer');
  const reviewer = user.roles.includes('reviewer');
  if (committee && reviewer) {
    return (
      <div className="qz-page">
        <Tabs
          items={[
            { key: 'committee', label: t('committee.letters.title'), children: <CommitteeLetters /> },
            { key: 'queue', label: t('committee.queue.title'), children: <LettersQueue /> },
          ]}
        />
      </div>
    );
  }
  return <div className="qz-page">{committee ? <CommitteeLetters /> : <LettersQueue />}</div>;
}

function CommitteeLetters() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { zones, zoneId, setZoneId, zone } = useCommitteeZone();
  const release = useApiQuery(() => (zoneId ? committeeApi.releaseStatus(zoneId) : Promise.resolve(null)), [zoneId]);
  const letters = useApiQuery(() => (zoneId ? committeeApi.letters({ zoneId }) : Promise.resolve([] as Commitment[])), [zoneId]);
  const [drafting, setDrafting] = useState(false);
  const [justSigned, setJustSigned] = useState<CommitmentDetail | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const status = release.data;
  const planId = status?.planId ?? null;
  const waiting = (letters.data ?? []).find((l) => l.planId === planId && l.state === 'submitted');
  const draft = (letters.data ?? []).find((l) => l.planId === planId && l.state === 'draft') ?? null;
  const mayDraft = Boolean(planId && status && status.pendingCommitment.m2 > 0 && !waiting);

  const columns: TableColumnsType<Commitment> = [
    { title: t('committee.letter.planVersion'), key: 'v', width: 80, render: (_: unknown, l) => `v${l.planVersion}` },
    { title: t('committee.letter.state'), key: 'state', width: 100, render: (_: unknown, l) => <CommitmentStateTag state={l.state} /> },
    { title: t('committee.letter.signatory'), key: 'sig', render: (_: unknown, l) => `${l.signatoryName}（${l.signatoryTitle}）` },
    {
      title: t('committee.letter.signedAt'),
      key: 'signedAt',
      width: 170,
      render: (_: unknown, l) => (l.signedAt ? formatDateTime(l.signedAt, language) : t('common.empty')),
    },
    {
      title: 'SHA-256',
      key: 'sha',
      width: 140,
      render: (_: unknown, l) => (l.pdfSha256 ? <Typography.Text code>{l.pdfSha256.slice(0, 12)}…</Typography.Text> : t('common.empty')),
    },
    {
      title: '',
      key: 'open',
      width: 80,
      render: (_: unknown, l) => (
        <Button type="link" size="small" onClick={() => setOpenId(l.id)} data-testid={`open-letter-v${l.planVersion}-${l.state}`}>
          {t('committee.letters.open')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="committee-letters">
      <PageHeader title={t('committee.letters.title')} subtitle={t('committee.letters.subtitle')}>
        <Space wrap>
          {(zones.data?.length ?? 0) > 1 && (
            <Select
              style={{ minWidth: 240 }}
              value={zoneId ?? undefined}
              onChange={(id: string) => {
                setZoneId(id);
                setDrafting(false);
                setJustSigned(null);
              }}
              options={(zones.data ?? []).map((z) => ({ value: z.id, label: `${z.name}（${z.code}）` }))}
            />
          )}
          <Button type="primary" icon={<PlusOutlined />} disabled={!mayDraft || drafting} onClick={() => setDrafting(true)} data-testid="new-letter">
            {draft ? t('committee.letters.continue') : t('committee.letters.new')}
          </Button>
        </Space>
      </PageHeader>

      {zone && status && (
        <Card size="small" className="qz-release-card" data-testid="release-status">
          <Space wrap size={24}>
            <span>
              {zone.name} · {status.planVersion ? `v${status.planVersion}` : t('committee.zone.noPlan')} {status.documentNumber ?? ''}
            </span>
            <span>
              {t('committee.zone.release')} <b className="qz-number">{formatArea(status.release.mu, language)}</b> {t('units.mu')}
            </span>
            <span>
              {t('committee.zone.released')} <b className="qz-number">{formatArea(status.released.mu, language)}</b> {t('units.mu')}
            </span>
            <span data-testid="pending-commitment-mu">
              {t('committee.zone.pending')} <b className="qz-number">{formatArea(status.pendingCommitment.mu, language)}</b> {t('units.mu')}
            </span>
          </Space>
        </Card>
      )}
      {zone && !release.loading && !planId && <Alert type="info" showIcon message={t('committee.letters.noPlan')} />}
      {waiting && !justSigned && <Alert type="info" showIcon message={t('committee.letters.waiting', { version: waiting.planVersion })} />}

      {justSigned && (
        <Card size="small" title={t('committee.letter.signedTitle')} className="qz-letter-signed" data-testid="letter-signed">
          <SignedLetter letter={justSigned} releaseMu={justSigned.releaseMu} />
        </Card>
      )}
      {drafting && planId && (
        <LetterForm
          planId={planId}
          draft={draft}
          onCancel={() => setDrafting(false)}
          onSubmitted={(letter) => {
            setDrafting(false);
            setJustSigned(letter);
            letters.reload();
          }}
        />
      )}

      <Table<Commitment>
        rowKey="id"
        size="middle"
        loading={letters.loading || zones.loading}
        columns={columns}
        dataSource={letters.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('committee.letters.none')} /> }}
        data-testid="committee-letters-table"
      />
      <LetterDrawer id={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

function LetterDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const letter = useApiQuery(() => (id ? committeeApi.letter(id) : Promise.resolve(null)), [id]);
  return (
    <Drawer open={id !== null} onClose={onClose} width={640} title={t('committee.letters.drawerTitle')} destroyOnHidden>
      {letter.loading && <Spin />}
      {letter.data && (
        <div data-testid="letter-drawer">
          <SignedLetter letter={letter.data} releaseMu={letter.data.releaseMu} />
          <Card size="small" style={{ marginTop: 16 }}>
            <LetterText letter={letter.data.letter} />
          </Card>
        </div>
      )}
    </Drawer>
  );
}
