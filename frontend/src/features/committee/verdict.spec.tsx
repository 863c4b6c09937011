import { render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/i18n.config';
import { VERDICT_LOOK, VERDICTS, verdictLook } from './verdict';
import { VerdictBadge } from './verdict-badge.component';

describe('clearance verdict badges', () => {
  it('give every verdict its own colour, red for blocked and green for cleared', () => {
    expect(Object.keys(VERDICT_LOOK).sort()).toEqual([...VERDICTS].sort());
    const colors = VERDICTS.map((v) => VERDICT_LOOK[v].color);
    expect(new Set(colors).size).toBe(VERDICTS.length);
    expect(VERDICT_LOOK.blocked.color).toBe('error');
    expect(VERDICT_LOOK.cleared.color).toBe('success');
    expect(VERDICT_LOOK.outside_zone.color).toBe('default');
  });

  it('offer land transfer only when cleared, and exploration only where exploring can clear the land', () => {
    expect(VERDICTS.filter((v) => VERDICT_LOOK[v].mayTransfer)).toEqual(['cleared']);
    expect(VERDICTS.filter((v) => VERDICT_LOOK[v].mayApplyExploration)).toEqual(['exploration_required', 'individual_survey_required']);
  });

  it('show an unknown verdict neutrally and allow nothing on it', () => {
    expect(verdictLook('clearance_hold_v2')).toEqual({ color: 'default', mayTransfer: false, mayApplyExploration: false });
  });

  it('read in Chinese by default and in English when chosen', { timeout: 20000 }, () => {
    const zh = createI18n('zh-CN');
    const { unmount } = render(
      <I18nextProvider i18n={zh}>
        {VERDICTS.map((v) => (
          <VerdictBadge key={v} verdict={v} />
        ))}
      </I18nextProvider>,
    );
    expect(VERDICTS.map((v) => screen.getByTestId(`verdict-${v}`).textContent)).toEqual([
      '开发区外',
      '禁止出让',
      '须勘探',
      '须单独调查勘探',
      '待承诺',
      '可出让',
    ]);
    expect(screen.getByTestId('verdict-blocked').className).toContain('ant-tag-error');
    expect(screen.getByTestId('verdict-cleared').className).toContain('ant-tag-success');
    unmount();
    render(
      <I18nextProvider i18n={createI18n('en')}>
        <VerdictBadge verdict="pending_commitment" />
      </I18nextProvider>,
    );
    expect(screen.getByTestId('verdict-pending_commitment').textContent).toBe('Pending commitment');
  });
});
