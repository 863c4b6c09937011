import { Form, Input, Modal, Radio } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ZONING_CATEGORIES, type AreaInput, type ZoningCategory } from './zoning.api';
import { validFields } from '../../shared/form.util';

interface AreaFormValues {
  category: ZoningCategory;
  rationale?: string;
  label?: string;
}

interface AreaFormModalProps {
  open: boolean;
  saving: boolean;
  onCancel: () => void;
  onSave: (input: Omit<AreaInput, 'geometry'>) => void;
}

/** Category, rationale and an optional label for a freshly drawn area. */
export function AreaFormModal({ open, saving, onCancel, onSave }: AreaFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AreaFormValues>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  return (
    <Modal
      open={open}
      title={t('zoning.newArea')}
      okText={t('zoning.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onCancel={onCancel}
      onOk={() =>
        void validFields(form).then((values) =>
          values && onSave({
            category: values.category,
            ...(values.rationale?.trim() ? { rationale: values.rationale.trim() } : {}),
            ...(values.label?.trim() ? { label: values.label.trim() } : {}),
          }),
        )
      }
      destroyOnHidden
      data-testid="area-form"
    >
      <Form form={form} layout="vertical" initialValues={{ category: 'exploration' }}>
        <Form.Item name="category" label={t('zoning.category')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={ZONING_CATEGORIES.map((c) => ({ value: c, label: t(`zoningCategory.${c}`) }))} />
        </Form.Item>
        <Form.Item name="label" label={t('zoning.label')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="rationale" label={t('zoning.rationale')} rules={[{ required: true, whitespace: true, message: t('zoning.rationaleRequired') }]}>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
