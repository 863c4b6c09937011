import WarningOutlined from '@ant-design/icons/WarningOutlined';
import { Button, Card, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { formatDateTime } from '../../shared/date-time.util';
import { NotificationsBell } from '../authority/notifications-bell.component';
import { keptDiscoveries, keptProjects, parcelOutline, type Discovery, type Project, type ProjectState } from './field.api';
import { OutboxPanel } from './outbox-panel.component';
import { useFieldOutbox, useOnline } from './outbox/field-outbox';
import { ReportFindForm } from './report-find.form';
import { StopWorkNotice } from './stop-work-notice.component';
import './field.css';

const STATE_COLOR: Record<ProjectState, string> = { active: 'success', stopped: 'error', completed: 'default' };

/** The contractor's phone: its projects and their status, stop-work notices, reporting a find (`?report=<projectId>`). */
export function FieldPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const reportFor = params.get('report');
  const online = useOnline();
  const outbox = useFieldOutbox(user.id);
  // kept from the last answer with signal, so a reload in the trench still shows the projects and notices
  const projectsKept = useApiQuery(() => keptProjects(user.id), [user.id]);
  const discoveriesKept = useApiQuery(() => keptDiscoveries(user.id), [user.id]);
  const projects = { ...projectsKept, data: projectsKept.data?.value };
  const discoveries = { ...discoveriesKept, data: discoveriesKept.data?.value };
  const keptSince = projectsKept.data?.savedAt ?? null;

  // A report the server just confirmed changes a project to stopped: show it.
  const confirmedCount = outbox.confirmed.length;
  const seenConfirmed = useRef(confirmedCount);
  useEffect(() => {
    if (confirmedCount === seenConfirmed.current) return;
    seenConfirmed.current = confirmedCount;
    projects.reload();
    discoveries.reload();
    // reload functions change every render; the count is the trigger
  }, [confirmedCount]);

  // Keep each parcel's outline while there is signal, for a report made later in the trench.
  useEffect(() => {
    projects.data?.filter((p) => p.state !== 'completed').forEach((p) => void parcelOutline(p.parcelId));
  }, [projects.data]);

  const openByProject = useMemo(() => {
    const map = new Map<string, Discovery[]>();
    for (const d of discoveries.data ?? []) {
      if (d.stopWorkOrder.state !== 'active') continue;
      map.set(d.projectId, [...(map.get(d.projectId) ?? []), d]);
    }
    return map;
  }, [discoveries.data]);

  const reportProject = reportFor ? projects.data?.find((p) => p.id === reportFor) : undefined;
  if (reportFor && reportProject) {
    return <ReportFindForm project={reportProject} onDone={() => setParams({})} />;
  }

  const refresh = () => {
    projects.reload();
    discoveries.reload();
  };

  return (
    <div className="qz-field-page" data-testid="field-page">
      <div className="qz-field-title">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('field.title')}
        </Typography.Title>
        <NotificationsBell />
      </div>
      <OutboxPanel ownerId={user.id} snapshot={outbox} online={online} />
      {keptSince && (
        <Typography.Text type="secondary" data-testid="kept-since">
          {t('field.keptSince', { time: formatDateTime(keptSince, i18n.language) })}
        </Typography.Text>
      )}
      {projects.loading && !projects.data ? (
        <Skeleton active />
      ) : !projects.data?.length ? (
        <Empty description={t('field.noProjects')} />
      ) : (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          {projects.data.map((project) => (
            <ProjectCard
              key={project.id}
              project={project}
              open={openByProject.get(project.id) ?? []}
              pending={outbox.items.filter((i) => i.ownerId === user.id && i.projectId === project.id).length}
              onReport={() => setParams({ report: project.id })}
              onChanged={refresh}
            />
          ))}
        </Space>
      )}
    </div>
  );
}

interface ProjectCardProps {
  project: Project;
  open: Discovery[];
  pending: number;
  onReport: () => void;
  onChanged: () => void;
}

function ProjectCard({ project, open, pending, onReport, onChanged }: ProjectCardProps) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      size="small"
      data-testid="project-card"
      data-project-id={project.id}
      data-state={project.state}
      title={<span className="qz-field-project-name">{project.name}</span>}
      extra={
        <Tag color={STATE_COLOR[project.state]} data-testid="project-state">
          {t(`field.projectState.${project.state}`)}
        </Tag>
      }
    >
      <Space direction="vertical" size={10} style={{ width: '100%' }}>
        {project.state === 'active' && <Typography.Text type="secondary">{t('field.activeHint')}</Typography.Text>}
        {pending > 0 && (
          <Tag color="warning" data-testid="project-pending">
            {t('field.pendingForProject', { count: pending })}
          </Tag>
        )}
        {open.map((d) => (
          <StopWorkNotice key={d.id} discovery={d} onChanged={onChanged} />
        ))}
        {project.state === 'stopped' && !open.length && (
          <Typography.Text type="danger">{t('field.stoppedNoDetail')}</Typography.Text>
        )}
        {project.state !== 'completed' && (
          <Button danger type={project.state === 'active' ? 'primary' : 'default'} size="large" block icon={<WarningOutlined />} onClick={onReport} data-testid="report-find">
            {t('field.reportFind')}
          </Button>
        )}
        {open.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('field.lastReport', { time: formatDateTime(open[0]!.reportedAt, i18n.language) })}
          </Typography.Text>
        )}
      </Space>
    </Card>
  );
}
