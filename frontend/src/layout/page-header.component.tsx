import { Typography } from 'antd';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  /** A line under the title (a count, what the page is for); nothing when null, undefined or false. */
  subtitle?: ReactNode;
  subtitleTestId?: string;
  level?: 3 | 4;
  /** The page's own controls on the right: filters, search, actions. */
  children?: ReactNode;
}

/** The title row every page opens with. */
export function PageHeader({ title, subtitle, subtitleTestId, level = 4, children }: PageHeaderProps) {
  return (
    <div className="qz-page-header">
      <div>
        <Typography.Title level={level} className="qz-page-title">
          {title}
        </Typography.Title>
        {subtitle !== undefined && subtitle !== null && subtitle !== false && (
          <Typography.Text type="secondary" data-testid={subtitleTestId}>
            {subtitle}
          </Typography.Text>
        )}
      </div>
      {children}
    </div>
  );
}
