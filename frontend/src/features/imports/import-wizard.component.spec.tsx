import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../i18n/i18n.config';
import { ImportWizard } from './import-wizard.component';
import type { ImportApi, ImportPreview } from './imports.api';

/** A preview as the server answers it for a CSV of three cores whose X/Y were swapped. */
const PREVIEW: ImportPreview = {
  importId: '6d3f6c2e-0000-4000-8000-000000000001',
  format: 'csv',
  crs: { epsg: 4526, detectedFrom: 'coordinates' },
  featureCount: 3,
  features: {
    type: 'FeatureCollection',
    features: [0, 1, 2].map((i) => ({
      type: 'Feature',
      id: i,
      geometry: { type: 'Point', coordinates: [112.93 + i * 0.001, 35.8] },
      properties: { result: i === 1 ? 'tomb' : 'negative' },
    })),
  },
  warnings: [
    { code: 'axis_swapped', message: '坐标 X/Y 顺序颠倒（X 为北坐标），已自动交换为 CGCS2000 3度带 38带' },
    { code: 'rows_skipped', message: '第 5 行坐标为空，已跳过' },
  ],
};

function renderWizard(api: ImportApi, onCommitted = vi.fn()) {
  const i18n = createI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <AntApp>
        <ImportWizard
          open
          targets={['cores', 'relics']}
          options={{ assessmentId: 'a-1' }}
          onClose={() => undefined}
          onCommitted={onCommitted}
          api={api}
          showMap={false}
        />
      </AntApp>
    </I18nextProvider>,
  );
  return { onCommitted };
}

describe('ImportWizard', () => {
  it('shows the server’s warnings in words, the feature count and the detected CRS, then commits the chosen features', async () => {
    const api: ImportApi = {
      preview: vi.fn(async () => PREVIEW),
      commit: vi.fn(async () => ({ target: 'cores', written: 2 })),
    };
    const { onCommitted } = renderWizard(api);

    // Nothing can be previewed before a file is chosen.
    expect((screen.getByTestId('import-preview-button') as HTMLButtonElement).disabled).toBe(true);
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File(['x,y,result\n3963000,38496000,negative\n'], 'cores.csv', { type: 'text/csv' });
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } });
    });
    await waitFor(() => expect((screen.getByTestId('import-preview-button') as HTMLButtonElement).disabled).toBe(false));
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-preview-button'));
    });

    expect(api.preview).toHaveBeenCalledWith(expect.objectContaining({ file, target: 'cores', srid: undefined }));
    const warnings = await screen.findByTestId('import-warnings');
    expect(warnings.textContent).toContain('坐标 X/Y 顺序颠倒（X 为北坐标），已自动交换为 CGCS2000 3度带 38带');
    expect(warnings.textContent).toContain('第 5 行坐标为空，已跳过');
    expect(screen.getByTestId('import-preview-count').textContent).toBe('共读取 3 个要素');
    expect(screen.getByTestId('import-preview-crs').textContent).toContain('CGCS2000 3度带 38带（带号，EPSG:4526）');
    expect(screen.getByTestId('import-preview-crs').textContent).toContain('根据坐标数值判断');

    // Leave the second feature out: only features 0 and 2 are written.
    const rowBoxes = screen.getByTestId('import-features').querySelectorAll('tbody input[type=checkbox]');
    expect(rowBoxes).toHaveLength(3);
    await act(async () => {
      fireEvent.click(rowBoxes[1]!);
    });
    expect(screen.getByTestId('import-confirm').textContent).toContain('确认导入（2 个要素）');
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-confirm'));
    });

    expect(api.commit).toHaveBeenCalledWith(PREVIEW.importId, {
      target: 'cores',
      featureIndexes: [0, 2],
      options: { assessmentId: 'a-1' },
    });
    expect((await screen.findByTestId('import-done')).textContent).toContain('已导入 2 条记录');
    expect(onCommitted).toHaveBeenCalledWith({ target: 'cores', written: 2 });
    // antd renders a whole modal, table and upload in jsdom: slow on a shared 2-core machine.
  }, 30_000);

  it('sends the chosen Gauss–Krüger zone and the forced X/Y swap with the file', async () => {
    const api: ImportApi = { preview: vi.fn(async () => ({ ...PREVIEW, warnings: [] })), commit: vi.fn() };
    renderWizard(api);
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['a'], 'pts.csv')] } });
    });
    const crsSelect = screen.getByTestId('import-crs').querySelector('input') as HTMLInputElement;
    await act(async () => {
      fireEvent.mouseDown(crsSelect);
      fireEvent.change(crsSelect, { target: { value: 'EPSG:4547' } });
    });
    const option = await screen.findByText('CGCS2000 3度带 38带（中央经线 114°E，无带号，EPSG:4547）', {
      selector: '.ant-select-item-option-content',
    });
    await act(async () => {
      fireEvent.click(option);
      fireEvent.click(screen.getByTestId('import-swap'));
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-preview-button'));
    });
    expect(api.preview).toHaveBeenCalledWith(expect.objectContaining({ srid: 4547, swapXY: true }));
    // No warnings: no warning box at all.
    await screen.findByTestId('import-preview-count');
    expect(screen.queryByTestId('import-warnings')).toBeNull();
  }, 30_000);
});
