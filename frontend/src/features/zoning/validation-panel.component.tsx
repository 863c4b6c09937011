import { Button, Empty, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { zoningApi, type Problem } from './zoning.api';

interface ValidationPanelProps {
  planId: string;
  mayValidate: boolean;
  /** null until validated (or after an edit made the last result stale) */
  problems: Problem[] | null;
  onProblems: (problems: Problem[]) => void;
  onPick: (problem: Problem) => void;
}

/** 校验: the server's findings (messages already in the UI language); a click zooms to and outlines the place. */
export function ValidationPanel({ planId, mayValidate, problems, onProblems, onPick }: ValidationPanelProps) {
  const { t } = useTranslation();
  const notify = useApiErrorNotifier();
  const [running, setRunning] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    try {
      onProblems((await zoningApi.validate(planId)).problems);
    } catch (error) {
      notify(error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div data-testid="validation-panel">
      {mayValidate && (
        <Button type="primary" loading={running} onClick={() => void run()} data-testid="validate" style={{ marginBottom: 8 }}>
          {t('zoning.validate')}
        </Button>
      )}
      {problems === null ? (
        <Typography.Paragraph type="secondary">{t('zoning.notValidated')}</Typography.Paragraph>
      ) : problems.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('zoning.noProblems')} data-testid="no-problems" />
      ) : (
        <List<Problem>
          size="small"
          dataSource={problems}
          renderItem={(problem) => (
            <List.Item
              className={`qz-problem${picked === problem.key ? ' qz-problem-picked' : ''}`}
              onClick={() => {
                setPicked(problem.key);
                onPick(problem);
              }}
              data-testid={`problem-${problem.code}`}
            >
              <Tag color={problem.severity === 'error' ? 'red' : 'orange'}>{t(`zoning.severity.${problem.severity}`)}</Tag>
              <span>{problem.message}</span>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
