import { Result, Spin } from 'antd';
import { lazy, Suspense, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from '../auth/auth.context';
import { DivisionsPage } from '../features/admin/divisions.page';
import { OrgsPage } from '../features/admin/orgs.page';
import { UsersPage } from '../features/admin/users.page';
import { LoginPage } from '../features/auth/login.page';
import { ZonesListPage } from '../features/zones/zones-list.page';
import { AppLayout } from '../layout/app.layout';
import { menuForRoles, type MenuKey } from '../layout/role-menu.config';

// The map pulls in OpenLayers; load it after sign-in so the login page appears at once.
const MapPage = lazy(() => import('../features/map/map.page').then((m) => ({ default: m.MapPage })));
const AssessmentsPage = lazy(() =>
  import('../features/assessments/assessments.page').then((m) => ({ default: m.AssessmentsPage })),
);

const DashboardPage = lazy(() => import('../features/dashboard/dashboard.page').then((m) => ({ default: m.DashboardPage })));

const ZoningPage = lazy(() => import('../features/zoning/zoning.page').then((m) => ({ default: m.ZoningPage })));
const CommitteeZonePage = lazy(() =>
  import('../features/committee/zone-workspace.page').then((m) => ({ default: m.ZoneWorkspacePage })),
);
const LettersPage = lazy(() => import('../features/committee/letters.page').then((m) => ({ default: m.LettersPage })));
const FieldPage = lazy(() => import('../features/field/field.page').then((m) => ({ default: m.FieldPage })));
const AuthorityPage = lazy(() => import('../features/authority/authority.page').then((m) => ({ default: m.AuthorityPage })));

const PAGES: Record<MenuKey, ReactElement> = {
  field: <FieldPage />,
  authority: <AuthorityPage />,
  map: <MapPage />,
  dashboard: <DashboardPage />,
  zones: <ZonesListPage />,
  assessments: <AssessmentsPage />,
  zoning: <ZoningPage />,
  'committee-zone': <CommitteeZonePage />,
  letters: <LettersPage />,
  users: <UsersPage />,
  orgs: <OrgsPage />,
  divisions: <DivisionsPage />,
};

function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div className="qz-full-center">
      <Spin size="large" tip={t('common.loading')}>
        <div style={{ width: 120, height: 80 }} />
      </Spin>
    </div>
  );
}

/**
 * Signed out, every URL shows the login page (so a deep link survives signing in); signed in, only the
 * pages of the user's roles exist and anything else goes to the role's home.
 */
export function AppRoutes() {
  const { t } = useTranslation();
  const { state } = useAuth();

  if (state.status === 'checking') return <FullPageSpin />;
  if (state.status === 'anonymous') return <LoginPage expired={state.expired} />;

  const entries = menuForRoles(state.user.roles);
  const home = entries[0]?.path;

  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route element={<AppLayout />}>
          {entries.map((entry) => (
            <Route key={entry.key} path={entry.path} element={PAGES[entry.key]} />
          ))}
          <Route
            path="*"
            element={home ? <Navigate to={home} replace /> : <Result status="info" title={t('nav.noEntries')} />}
          />
        </Route>
      </Routes>
    </Suspense>
  );
}
