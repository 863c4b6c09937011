import UploadOutlined from '@ant-design/icons/UploadOutlined';
import { Alert, App, Button, Drawer, Form, Input, Select, Space, TreeSelect, Typography } from 'antd';
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/api-error';
import type { Zone } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { localName } from '../../shared/local-name.util';
import { previewIndexOf } from '../../map/layers/preview-layer.component';
import { buildDivisionTree, type DivisionNode } from '../admin/division-tree.util';
import { ImportWizard } from '../imports/import-wizard.component';
import { importApi, type ImportApi } from '../imports/imports.api';

const CATEGORIES = ['industrial', 'agricultural', 'cultural_tourism'] as const;
const LEVELS = ['national', 'provincial'] as const;

type ZoneCategory = (typeof CATEGORIES)[number];
type ZoneLevel = (typeof LEVELS)[number];

interface ZoneFormValues {
  code: string;
  name: string;
  nameEn?: string;
  category: ZoneCategory;
  level: ZoneLevel;
  divisionCode: string;
  committeeOrgId?: string;
}

/** The server's answer to a create or an update: the zone with the area it computed on the ellipsoid. */
interface SavedZone {
  areaMu: number;
  areaHa: number;
}

export interface ZoneFormProps {
  open: boolean;
  /** the zone to edit; undefined registers a new one */
  zone?: Zone;
  onClose: () => void;
  /** after every write (the form, or a boundary replaced through the import wizard) */
  onSaved: () => void;
  /** show the map in the import wizard's preview (off in environments without a canvas) */
  showMap?: boolean;
}

/**
 * Collects the polygons of the chosen features into one MultiPolygon. Nothing is dissolved here: PostGIS
 * validates the result, and overlapping parts come back as a 422 that says where.
 */
export function featuresToMultiPolygon(features: readonly Feature[]): MultiPolygon | null {
  const polygons: Position[][][] = [];
  for (const feature of features) {
    const geometry = feature.geometry;
    if (geometry?.type === 'Polygon') polygons.push(geometry.coordinates);
    else if (geometry?.type === 'MultiPolygon') polygons.push(...geometry.coordinates);
  }
  return polygons.length ? { type: 'MultiPolygon', coordinates: polygons } : null;
}

function toTreeData(nodes: readonly DivisionNode[], language: string): object[] {
  return nodes.map((node) => ({
    value: node.code,
    title: `${localName(node, language)}（${node.code}）`,
    children: node.children ? toTreeData(node.children, language) : undefined,
  }));
}

/**
 * The admin's form for a development zone: register one with a boundary read from a file (the planning
 * bureau's red line), or edit its register fields and replace its boundary through the import wizard.
 */
export function ZoneForm({ open, zone, onClose, onSaved, showMap = true }: ZoneFormProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const [form] = Form.useForm<ZoneFormValues>();
  const editing = Boolean(zone);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [boundary, setBoundary] = useState<MultiPolygon | null>(null);
  const [boundaryParts, setBoundaryParts] = useState(0);
  const [boundaryNote, setBoundaryNote] = useState<string | null>(null);

  const divisions = useApiQuery(() => (open ? unwrap(api.GET('/api/divisions')) : Promise.resolve([])), [open]);
  const orgs = useApiQuery(() => (open ? unwrap(api.GET('/api/admin/orgs')) : Promise.resolve([])), [open]);

  const divisionTree = useMemo(() => toTreeData(buildDivisionTree(divisions.data ?? []), language), [divisions.data, language]);
  const committeeOptions = useMemo(
    () =>
      (orgs.data ?? [])
        .filter((org) => org.type === 'zone_committee')
        .map((org) => ({ value: org.id, label: localName(org, language) })),
    [orgs.data, language],
  );

  const initialValues: Partial<ZoneFormValues> = zone
    ? {
        code: zone.code,
        name: zone.name,
        nameEn: zone.nameEn ?? undefined,
        category: zone.category,
        level: zone.level,
        divisionCode: zone.division.code,
        committeeOrgId: zone.committeeOrg?.id,
      }
    : { category: 'industrial', level: 'provincial' };

  /**
   * Registering: the wizard previews the file on the server and lets the admin choose features, but its
   * "commit" here only hands the chosen features back to the form — the zone is written by POST /api/zones.
   */
  const collectingApi: ImportApi = useMemo(() => {
    let features: FeatureCollection | null = null;
    return {
      async preview(request) {
        const answer = await importApi.preview(request);
        features = answer.features;
        return answer;
      },
      async commit(_importId, request) {
        const all = features?.features ?? [];
        const wanted = request.featureIndexes ? new Set(request.featureIndexes) : null;
        const chosen = all.filter((_, position) => !wanted || wanted.has(previewIndexOf(features!, position)));
        const union = featuresToMultiPolygon(chosen);
        setBoundary(union);
        setBoundaryParts(union?.coordinates.length ?? 0);
        return { target: 'zone-boundary', written: chosen.length };
      },
    };
  }, []);

  const close = () => {
    form.resetFields();
    setError(null);
    setBoundary(null);
    setBoundaryParts(0);
    setBoundaryNote(null);
    onClose();
  };

  const announce = (saved: SavedZone) => {
    void message.success(
      t('zoneForm.saved', { mu: formatArea(saved.areaMu, language), ha: formatArea(saved.areaHa, language) }),
    );
  };

  const submit = async (values: ZoneFormValues) => {
    setError(null);
    if (!zone && !boundary) {
      setError(new ApiError(0, 'boundary_missing', t('zoneForm.boundaryMissing')));
      return;
    }
    setSaving(true);
    try {
      const nameEn = values.nameEn?.trim() || undefined;
      let saved: SavedZone;
      if (!zone) {
        saved = await unwrap(
          api.POST('/api/zones', {
            body: {
              code: values.code.trim(),
              name: values.name.trim(),
              nameEn,
              category: values.category,
              level: values.level,
              divisionCode: values.divisionCode,
              committeeOrgId: values.committeeOrgId,
              boundary: boundary as never,
            },
          }),
        );
      } else {
        const changes: Record<string, string> = {};
        if (values.name.trim() !== zone.name) changes.name = values.name.trim();
        if ((nameEn ?? null) !== (zone.nameEn ?? null) && nameEn) changes.nameEn = nameEn;
        if (values.category !== zone.category) changes.category = values.category;
        if (values.level !== zone.level) changes.level = values.level;
        if (values.divisionCode !== zone.division.code) changes.divisionCode = values.divisionCode;
        if (values.committeeOrgId && values.committeeOrgId !== zone.committeeOrg?.id) changes.committeeOrgId = values.committeeOrgId;
        if (Object.keys(changes).length === 0) {
          close();
          return;
        }
        saved = await unwrap(api.PATCH('/api/zones/{id}', { params: { path: { id: zone.id } }, body: changes }));
      }
      announce(saved);
      onSaved();
      close();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'network', t('errors.network')));
    } finally {
      setSaving(false);
    }
  };

  const boundaryStatus = editing
    ? boundaryNote
    : boundary
      ? t('zoneForm.boundaryChosen', { count: boundaryParts })
      : t('zoneForm.boundaryNone');

  return (
    <Drawer
      open={open}
      title={editing ? t('zoneForm.editTitle', { name: zone!.name }) : t('zoneForm.createTitle')}
      width={520}
      onClose={close}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="zone-form-submit">
            {t('zoneForm.save')}
          </Button>
        </Space>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={error.message || t('errors.http', { status: error.status })}
          data-testid="zone-form-error"
        />
      )}
      <Form<ZoneFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
        data-testid="zone-form"
      >
        <Form.Item name="code" label={t('zones.code')} rules={[{ required: true, whitespace: true, message: t('zoneForm.required') }]}>
          <Input disabled={editing} placeholder="SX-CZ-TL" data-testid="zone-form-code" />
        </Form.Item>
        <Form.Item name="name" label={t('zones.name')} rules={[{ required: true, whitespace: true, message: t('zoneForm.required') }]}>
          <Input data-testid="zone-form-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('zoneForm.nameEn')}>
          <Input data-testid="zone-form-name-en" />
        </Form.Item>
        <Form.Item name="category" label={t('zones.category')} rules={[{ required: true, message: t('zoneForm.required') }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`zoneCategory.${c}`) }))} data-testid="zone-form-category" />
        </Form.Item>
        <Form.Item name="level" label={t('zones.level')} rules={[{ required: true, message: t('zoneForm.required') }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: t(`zoneLevel.${l}`) }))} data-testid="zone-form-level" />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('zones.division')} rules={[{ required: true, message: t('zoneForm.required') }]}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeData={divisionTree}
            treeDefaultExpandAll
            loading={divisions.loading}
            placeholder={t('zoneForm.divisionPlaceholder')}
            data-testid="zone-form-division"
          />
        </Form.Item>
        <Form.Item name="committeeOrgId" label={t('zoneForm.committee')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={committeeOptions}
            loading={orgs.loading}
            placeholder={t('zoneForm.committeePlaceholder')}
            data-testid="zone-form-committee"
          />
        </Form.Item>
        <Form.Item label={t('zoneForm.boundary')} required={!editing} extra={t(editing ? 'zoneForm.boundaryEditHint' : 'zoneForm.boundaryHint')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button icon={<UploadOutlined />} onClick={() => setWizardOpen(true)} data-testid="zone-form-boundary">
              {editing ? t('zoneForm.replaceBoundary') : t('zoneForm.chooseBoundary')}
            </Button>
            {boundaryStatus && (
              <Typography.Text type={boundary || boundaryNote ? 'success' : 'secondary'} data-testid="zone-form-boundary-status">
                {boundaryStatus}
              </Typography.Text>
            )}
          </Space>
        </Form.Item>
      </Form>
      {wizardOpen && (
        <ImportWizard
          open={wizardOpen}
          targets={['zone-boundary']}
          options={zone ? { zoneId: zone.id } : {}}
          api={zone ? importApi : collectingApi}
          showMap={showMap}
          onClose={() => setWizardOpen(false)}
          onCommitted={() => {
            if (!zone) {
              // nothing is written yet: go straight back to the form, which sends the boundary with the zone
              setWizardOpen(false);
              return;
            }
            void unwrap(api.GET('/api/zones/{id}', { params: { path: { id: zone.id } } })).then(
              (updated) => {
                const note = t('zoneForm.boundaryReplaced', {
                  mu: formatArea(updated.areaMu, language),
                  ha: formatArea(updated.areaHa, language),
                });
                setBoundaryNote(note);
                void message.success(note);
              },
              () => setBoundaryNote(t('zoneForm.boundaryReplacedShort')),
            );
            onSaved();
          }}
        />
      )}
    </Drawer>
  );
}
