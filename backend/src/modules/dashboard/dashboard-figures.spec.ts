import { areaFiguresByCategory, deadlineFigures, discoveryFigures, metShare, zoneFigures } from './dashboard-figures';
import { DashboardRows } from './dashboard.repository';

const rows = (over: Partial<DashboardRows> = {}): DashboardRows => ({
  zones: [], with_issued_plan: 0, areas: [], total_m2: 0, reports: [], deadlines: [], divisions: [], ...over,
});

describe('dashboard figures', () => {
  it('share of deadlines met counts only decided deadlines, and is null when none is decided', () => {
    expect(metShare(3, 1)).toBe(0.75);
    expect(metShare(2, 1)).toBe(0.6667);
    expect(metShare(0, 0)).toBeNull();
    expect(metShare(0, 4)).toBe(0);
  });

  it('every zone category and discovery state is present, with zeros where nothing is', () => {
    const z = zoneFigures(rows({ zones: [
      { category: 'industrial', assessment_status: 'concluded', count: 2 },
      { category: 'industrial', assessment_status: 'not_started', count: 5 },
      { category: 'cultural_tourism', assessment_status: 'not_applicable', count: 1 },
    ] }), true);
    expect(z.byCategory).toEqual([
      { category: 'industrial', count: 7 }, { category: 'agricultural', count: 0 }, { category: 'cultural_tourism', count: 1 },
    ]);
    expect(z.total).toBe(8);
    expect(z.published).toEqual({ industrial: 71, agriculturalOrTourism: 22, total: 93 });
    expect(zoneFigures(rows(), false).published).toBeNull();

    const d = discoveryFigures(rows({ reports: [{ state: 'reported', count: 2, overdue: 1 }, { state: 'closed', count: 3, overdue: 0 }] }));
    expect(d).toMatchObject({ total: 5, open: 2, overdue: 1, closed: 3 });
    expect(d.byState.map((s) => s.count)).toEqual([2, 0, 0, 0, 3]);
  });

  it('areas come in m², 亩 and ha for all four buckets; deadlines for both statutory kinds', () => {
    const a = areaFiguresByCategory(rows({ areas: [{ category: 'release', m2: 20000 }, { category: 'unzoned', m2: 0 }], total_m2: 30000 }));
    expect(a.byCategory.map((c) => c.category)).toEqual(['avoidance', 'exploration', 'release', 'unzoned']);
    expect(a.byCategory[2]).toEqual({ category: 'release', areaM2: 20000, areaMu: 30, areaHa: 2 });
    expect(a.totalMu).toBe(45);
    expect(deadlineFigures(rows({ deadlines: [{ kind: 'opinion', met: 1, breached: 1, pending: 2 }] }))).toEqual([
      { kind: 'on_site', met: 0, breached: 0, pending: 0, metShare: null },
      { kind: 'opinion', met: 1, breached: 1, pending: 2, metShare: 0.5 },
    ]);
  });
});
