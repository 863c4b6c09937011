import EnvironmentOutlined from '@ant-design/icons/EnvironmentOutlined';
import { Button, Empty, Input, List, Space, Switch, Tag, Typography } from 'antd';
import type { Geometry, Point } from 'geojson';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { DIFF_CHANGE_COLORS } from '../../map/layers/zoning-areas-layer.component';
import { formatArea } from '../../shared/area.util';
import { formatDateTime } from '../../shared/date-time.util';
import { zoningApi, type DiffEntry, type PlanComment, type PlanDiff } from './zoning.api';

interface DiffPanelProps {
  planId: string;
  onChanges: (changes: DiffEntry[]) => void;
  overlay: boolean;
  onOverlay: (on: boolean) => void;
  onPick: (geometry: Geometry) => void;
}

/** 对比: what this plan changes against the one it revises (or the zone's issued plan). */
export function DiffPanel({ planId, onChanges, overlay, onOverlay, onPick }: DiffPanelProps) {
  const { t, i18n } = useTranslation();
  const query = useApiQuery(
    () =>
      zoningApi.diff(planId).then((d) => {
        onChanges(d.changes);
        return d;
      }),
    [planId],
  );
  const diff: PlanDiff | undefined = query.data;
  const loading = query.loading;
  const language = currentLanguage(i18n);
  const category = (c: string | null) => (c ? t(`zoningCategory.${c}`, { defaultValue: c }) : '');
  return (
    <div data-testid="diff-panel">
      <Space style={{ marginBottom: 8 }}>
        <Switch checked={overlay} onChange={onOverlay} size="small" data-testid="diff-overlay" />
        {t('zoning.diffOverlay')}
      </Space>
      {!loading && diff && !diff.againstPlanId && <Typography.Paragraph type="secondary">{t('zoning.diffNothingToCompare')}</Typography.Paragraph>}
      <List<DiffEntry>
        size="small"
        loading={loading}
        dataSource={diff?.changes ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('zoning.diffNone')} /> }}
        renderItem={(entry) => (
          <List.Item className="qz-problem" onClick={() => onPick(entry.geometry as unknown as Geometry)} data-testid={`diff-${entry.change}`}>
            <Tag color={(DIFF_CHANGE_COLORS as Record<string, string>)[entry.change]}>{t(`zoning.change.${entry.change}`)}</Tag>
            <span>
              {entry.change === 'recategorised'
                ? `${category(entry.previousCategory)} → ${category(entry.category)}`
                : category(entry.category ?? entry.previousCategory)}{' '}
              <span className="qz-number">{formatArea(entry.changedMu, language)}</span> {t('units.mu')}
            </span>
          </List.Item>
        )}
      />
    </div>
  );
}

interface CommentsPanelProps {
  planId: string;
  /** a point picked on the map for the next comment, or null */
  pin: Point | null;
  pinning: boolean;
  onPinning: (on: boolean) => void;
  onPick: (geometry: Geometry) => void;
}

/** Review comments, optionally pinned to a place on the map. */
export function CommentsPanel({ planId, pin, pinning, onPinning, onPick }: CommentsPanelProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const notify = useApiErrorNotifier();
  const comments = useApiQuery(() => zoningApi.comments(planId), [planId]);
  const [body, setBody] = useState('');
  const [posting, setPosting] = useState(false);

  const post = async () => {
    setPosting(true);
    try {
      await zoningApi.addComment(planId, body.trim(), pin);
      setBody('');
      onPinning(false);
      comments.reload();
    } catch (error) {
      notify(error);
    } finally {
      setPosting(false);
    }
  };

  return (
    <div data-testid="comments-panel">
      <List<PlanComment>
        size="small"
        loading={comments.loading}
        dataSource={comments.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('zoning.noComments')} /> }}
        renderItem={(c) => {
          const author = c.author as unknown as { displayName: string };
          const location = c.location as unknown as Geometry | null;
          return (
            <List.Item
              className={location ? 'qz-problem' : undefined}
              onClick={location ? () => onPick(location) : undefined}
              data-testid="comment"
            >
              <div>
                <Typography.Text strong>{author.displayName}</Typography.Text>{' '}
                <Typography.Text type="secondary">{formatDateTime(c.createdAt, language)}</Typography.Text>
                {location && <EnvironmentOutlined style={{ marginInlineStart: 6, color: '#d4380d' }} aria-label={t('zoning.pinned')} />}
                <div>{c.body}</div>
              </div>
            </List.Item>
          );
        }}
      />
      <Input.TextArea rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} placeholder={t('zoning.commentPlaceholder')} data-testid="comment-body" />
      <Space style={{ marginTop: 8 }} wrap>
        <Button icon={<EnvironmentOutlined />} type={pinning ? 'primary' : 'default'} onClick={() => onPinning(!pinning)} data-testid="comment-pin">
          {pin ? t('zoning.pinSet') : pinning ? t('zoning.pinClickMap') : t('zoning.pinOnMap')}
        </Button>
        <Button type="primary" disabled={!body.trim()} loading={posting} onClick={() => void post()} data-testid="comment-post">
          {t('zoning.postComment')}
        </Button>
      </Space>
    </div>
  );
}
