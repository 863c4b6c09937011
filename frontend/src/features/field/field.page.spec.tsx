import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppRoot } from '../../app/app-root.component';
import { installPaintlessCanvas } from '../../map/tools/simulated-pointer.test-util';
import { fakeApi, json, resetFakeApi, signInAs } from '../../test/fake-api';

const PROJECT = { id: '44444444-4444-4444-8444-444444444444', name: '晋通新材料厂房一期（演示）', state: 'active', zoneId: 'z', parcelId: '66666666-6666-4666-8666-666666666666' };
const PARCEL = { type: 'Polygon', coordinates: [[[112.897, 36.306], [112.899, 36.306], [112.899, 36.3075], [112.897, 36.3075], [112.897, 36.306]]] };
const CONTRACTOR = { roles: ['contractor'], org: { id: 'o-c', name: '晋通', type: 'contractor' }, username: 'contractor', displayName: '周施工' };

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(() => {
  resetFakeApi();
  delete (navigator as { geolocation?: unknown }).geolocation;
});

describe('the contractor’s phone', () => {
  it('reports a find located by GPS: the request carries the idempotency key and a +08:00 time, and the server’s 201 empties the outbox', { timeout: 40000 }, async () => {
    const posts: Array<{ key: string | null; body: string; type: string | null }> = [];
    let projectState = 'active';
    fakeApi((request, path, body) => {
      if (path === '/api/projects') return json(200, [{ ...PROJECT, state: projectState }]);
      if (path === `/api/parcels/${PROJECT.parcelId}`) return json(200, { id: PROJECT.parcelId, geometry: PARCEL });
      if (path === '/api/discoveries' && request.method === 'GET') return json(200, []);
      if (path === '/api/notifications') return json(200, []);
      if (path === '/api/discoveries' && request.method === 'POST') {
        posts.push({ key: request.headers.get('Idempotency-Key'), body, type: request.headers.get('Content-Type') });
        projectState = 'stopped';
        return json(201, { id: 'r-1', state: 'reported', reportedAt: '2026-11-28T09:41:00+08:00', stopWorkOrderId: 's-1', deadlines: { onSiteDue: '2026-11-29T09:41:00+08:00', opinionDue: '2026-12-05T09:41:00+08:00' } });
      }
      return undefined;
    });
    // jsdom has no GPS: a fixed position stands in for the phone's
    Object.defineProperty(navigator, 'geolocation', {
      configurable: true,
      value: {
        getCurrentPosition: (ok: PositionCallback) =>
          ok({ coords: { longitude: 112.8980771, latitude: 36.3067322, accuracy: 7.94 } } as GeolocationPosition),
      },
    });
    signInAs({ ...CONTRACTOR, id: 'u-c' }, '/');
    render(<AppRoot />);

    const card = await screen.findByTestId('project-card', {}, { timeout: 20000 });
    expect(window.location.pathname).toBe('/field');
    expect(within(card).getByTestId('project-state').textContent).toBe('施工中');
    fireEvent.click(within(card).getByTestId('report-find'));

    await screen.findByTestId('report-find-form', {}, { timeout: 10000 });
    // Without a location the report is not accepted.
    fireEvent.click(screen.getByTestId('submit-report'));
    await screen.findByText('请使用手机定位或在地图上点选发现位置');

    fireEvent.click(screen.getByTestId('use-gps'));
    await waitFor(() => expect(screen.getByTestId('picked-location').textContent).toContain('±7.9 米'));
    // two hours ago, as Beijing wall-clock time (what the phone's date-time field holds)
    const foundLocal = new Date(Date.now() - 2 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
    fireEvent.change(document.querySelector('#report_foundAt')!, { target: { value: foundLocal } });
    fireEvent.change(document.querySelector('#report_description')!, { target: { value: '发现青砖墓室一角' } });
    fireEvent.mouseDown(document.querySelector('#report_suspectedType')!);
    fireEvent.click(await screen.findByText('墓葬'));
    fireEvent.click(screen.getByTestId('submit-report'));

    await screen.findByTestId('outbox-confirmed', {}, { timeout: 10000 });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(posts[0]!.type).toContain('application/json');
    expect(JSON.parse(posts[0]!.body)).toEqual({
      projectId: PROJECT.id,
      location: { type: 'Point', coordinates: [112.8980771, 36.3067322] },
      accuracyM: 7.9,
      foundAt: `${foundLocal}:00+08:00`,
      depthM: null,
      description: '发现青砖墓室一角',
      suspectedType: 'tomb',
    });
    // the confirmed report reloads the projects: the project now shows stopped
    await waitFor(() => expect(screen.getByTestId('project-state').textContent).toBe('已停工'));
    expect(screen.queryByTestId('outbox-item')).toBeNull();
  });

  it('keeps a report the server refuses (4xx) with the server’s message, and does not send it again on its own', { timeout: 40000 }, async () => {
    let posts = 0;
    fakeApi((request, path) => {
      if (path === '/api/projects') return json(200, [PROJECT]);
      if (path === `/api/parcels/${PROJECT.parcelId}`) return json(200, { id: PROJECT.parcelId, geometry: PARCEL });
      if (path === '/api/discoveries' && request.method === 'GET') return json(200, []);
      if (path === '/api/notifications') return json(200, []);
      if (path === '/api/discoveries' && request.method === 'POST') {
        posts += 1;
        return json(409, { code: 'discovery_project_completed', message: '项目已竣工，不能再报告新发现' });
      }
      return undefined;
    });
    signInAs({ ...CONTRACTOR, id: 'u-c2' }, '/field');
    render(<AppRoot />);

    fireEvent.click(within(await screen.findByTestId('project-card', {}, { timeout: 20000 })).getByTestId('report-find'));
    await screen.findByTestId('report-find-form', {}, { timeout: 10000 });
    Object.defineProperty(navigator, 'geolocation', {
      configurable: true,
      value: { getCurrentPosition: (ok: PositionCallback) => ok({ coords: { longitude: 112.898, latitude: 36.3067, accuracy: 5 } } as GeolocationPosition) },
    });
    fireEvent.click(screen.getByTestId('use-gps'));
    fireEvent.change(document.querySelector('#report_description')!, { target: { value: '发现青砖' } });
    fireEvent.mouseDown(document.querySelector('#report_suspectedType')!);
    fireEvent.click(await screen.findByText('窑址'));
    fireEvent.click(screen.getByTestId('submit-report'));

    const error = await screen.findByTestId('outbox-error', {}, { timeout: 10000 });
    expect(error.textContent).toContain('项目已竣工，不能再报告新发现');
    expect(screen.getByTestId('outbox-item').getAttribute('data-status')).toBe('rejected');
    await new Promise((r) => setTimeout(r, 2500)); // past the first backoff
    expect(posts).toBe(1);
  });
});
