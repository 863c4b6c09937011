import { Alert, Checkbox, Form, Input, Modal, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import type { OkJson } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery, useBusyAction } from '../../api/use-api-query.hook';

type Channels = OkJson<'/api/notification-channels/{orgId}', 'get'>;
interface ChannelForm {
  email: string;
  webhookUrl: string;
  rotateSecret: boolean;
}

/**
 * An organisation's notification channels (e-mail and a signed webhook, e.g. an SMS gateway). A new
 * webhook gets a generated secret, shown here once — the server never shows it again. An empty field
 * switches that channel off.
 */
export function NotificationChannelsModal({ org, onClose }: { org: { id: string; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ChannelForm>();
  const current = useApiQuery(() => unwrap(api.GET('/api/notification-channels/{orgId}', { params: { path: { orgId: org.id } } })), [org.id]);
  const { busy, run } = useBusyAction();
  const [saved, setSaved] = useState<Channels | null>(null);
  const shown = saved ?? current.data;
  const webhook = Form.useWatch('webhookUrl', form);

  const save = (values: ChannelForm) =>
    run(async () => {
      const body = {
        email: values.email.trim() || null,
        webhookUrl: values.webhookUrl.trim() || null,
        ...(values.rotateSecret ? { rotateSecret: true } : {}),
      };
      setSaved(await unwrap(api.PUT('/api/notification-channels/{orgId}', { params: { path: { orgId: org.id } }, body })));
      form.setFieldValue('rotateSecret', false);
    });

  return (
    <Modal
      open
      title={t('admin.channels.title', { name: org.name })}
      okText={t('admin.channels.save')}
      cancelText={t('admin.channels.close')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {current.loading || !current.data ? (
        <Spin />
      ) : (
        <Form<ChannelForm>
          form={form}
          layout="vertical"
          initialValues={{ email: current.data.email ?? '', webhookUrl: current.data.webhookUrl ?? '', rotateSecret: false }}
          onFinish={save}
        >
          <Typography.Paragraph type="secondary">{t('admin.channels.intro')}</Typography.Paragraph>
          <Form.Item name="email" label={t('admin.channels.email')} rules={[{ type: 'email', message: t('admin.channels.badEmail') }]}>
            <Input placeholder="wenwu@example.gov.cn" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="webhookUrl"
            label={t('admin.channels.webhook')}
            extra={t('admin.channels.webhookHelp')}
            rules={[{ pattern: /^https?:\/\/\S+$/, message: t('admin.channels.badUrl') }]}
          >
            <Input placeholder="https://sms-gateway.example.cn/qianzhi" autoComplete="off" />
          </Form.Item>
          {shown?.hasWebhookSecret && webhook ? (
            <Form.Item name="rotateSecret" valuePropName="checked">
              <Checkbox>{t('admin.channels.rotate')}</Checkbox>
            </Form.Item>
          ) : null}
          {saved ? (
            <Alert
              type="success"
              showIcon
              message={t('admin.channels.saved')}
              description={
                saved.webhookSecret ? (
                  <div data-testid="webhook-secret">
                    {t('admin.channels.secretOnce')}
                    <Typography.Paragraph copyable code style={{ marginTop: 8, marginBottom: 0 }}>
                      {saved.webhookSecret}
                    </Typography.Paragraph>
                  </div>
                ) : null
              }
            />
          ) : null}
        </Form>
      )}
    </Modal>
  );
}
