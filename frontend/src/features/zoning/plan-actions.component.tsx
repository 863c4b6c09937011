import { App, Button, Form, Input, Modal, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { actionsFor, zoningApi, type PlanAction, type PlanDetail, type Problem, type VersionedPlan } from './zoning.api';
import { validFields } from '../../shared/form.util';

interface PlanActionsProps {
  plan: PlanDetail;
  roles: readonly string[];
  onDone: (next: VersionedPlan) => void;
  /** the server refused because the plan changed meanwhile: reload it */
  onConflict: () => void;
}

/** The workflow buttons this user may press on this plan; the server's 403/409/422 messages are shown as they come. */
export function PlanActions({ plan, roles, onDone, onConflict }: PlanActionsProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const notify = useApiErrorNotifier();
  const [acting, setActing] = useState<PlanAction | null>(null);
  const [dialog, setDialog] = useState<'submit' | 'return' | null>(null);

  const run = async (action: PlanAction, body: { reason?: string; justifications?: Record<string, string> } = {}) => {
    setActing(action);
    try {
      const next = await zoningApi.act(plan.id, action, body);
      void message.success(t('zoning.actionDone', { state: t(`zoning.state.${next.plan.state}`) }));
      onDone(next);
      setDialog(null);
    } catch (error) {
      notify(error);
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) onConflict();
    } finally {
      setActing(null);
    }
  };

  const press = (action: PlanAction) => {
    if (action === 'submit' || action === 'return') {
      setDialog(action);
      return;
    }
    modal.confirm({
      title: t(`zoning.actions.${action}`),
      content: t(`zoning.actionConfirm.${action}`),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: () => run(action),
    });
  };

  return (
    <>
      {actionsFor(plan.allowedActions, roles).map((action) => (
        <Button
          key={action}
          type={action === 'return' ? 'default' : 'primary'}
          danger={action === 'return'}
          loading={acting === action}
          onClick={() => press(action)}
          data-testid={`action-${action}`}
        >
          {t(`zoning.actions.${action}`)}
        </Button>
      ))}
      <ReturnDialog open={dialog === 'return'} busy={acting === 'return'} onCancel={() => setDialog(null)} onOk={(reason) => void run('return', { reason })} />
      {dialog === 'submit' && (
        <SubmitDialog
          planId={plan.id}
          busy={acting === 'submit'}
          onCancel={() => setDialog(null)}
          onOk={(justifications) => void run('submit', { justifications })}
        />
      )}
    </>
  );
}

function ReturnDialog({ open, busy, onCancel, onOk }: { open: boolean; busy: boolean; onCancel: () => void; onOk: (reason: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={t('zoning.actions.return')}
      okText={t('zoning.actions.return')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => void validFields(form).then((v) => v && onOk(v.reason.trim()))}
      destroyOnHidden
      data-testid="return-dialog"
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('zoning.returnReason')} rules={[{ required: true, whitespace: true, message: t('zoning.returnReasonRequired') }]}>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Validates first: errors block the submission; each warning needs a justification (keyed by the problem's key). */
function SubmitDialog({ planId, busy, onCancel, onOk }: { planId: string; busy: boolean; onCancel: () => void; onOk: (j: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const notify = useApiErrorNotifier();
  const [form] = Form.useForm<Record<string, string>>();
  const [problems, setProblems] = useState<Problem[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    zoningApi.validate(planId).then(
      (result) => !cancelled && setProblems(result.problems),
      (error: unknown) => {
        if (cancelled) return;
        notify(error);
        onCancel();
      },
    );
    return () => {
      cancelled = true;
    };
    // once per opening of the dialog
  }, [planId]);
  const errors = problems?.filter((p) => p.severity === 'error') ?? [];
  const warnings = problems?.filter((p) => p.severity === 'warning') ?? [];

  return (
    <Modal
      open
      title={t('zoning.actions.submit')}
      okText={t('zoning.actions.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: problems === null || errors.length > 0 }}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() =>
        void validFields(form).then((values) => {
          if (!values) return;
          const justifications: Record<string, string> = {};
          warnings.forEach((w, i) => (justifications[w.key] = String(values[`w${i}`] ?? '').trim()));
          onOk(justifications);
        })
      }
      data-testid="submit-dialog"
    >
      {problems === null ? (
        <Spin />
      ) : (
        <>
          {errors.length > 0 && (
            <Typography.Paragraph type="danger" data-testid="submit-blocked">
              {t('zoning.submitBlocked', { count: errors.length })}
              <ul>
                {errors.map((e) => (
                  <li key={e.key}>{e.message}</li>
                ))}
              </ul>
            </Typography.Paragraph>
          )}
          {warnings.length === 0 && errors.length === 0 && <Typography.Paragraph>{t('zoning.submitClean')}</Typography.Paragraph>}
          <Form form={form} layout="vertical">
            {warnings.map((w, i) => (
              <Form.Item
                key={w.key}
                name={`w${i}`}
                label={w.message}
                rules={[{ required: true, whitespace: true, message: t('zoning.justificationRequired') }]}
              >
                <Input.TextArea rows={2} maxLength={4000} placeholder={t('zoning.justification')} data-testid={`justify-${w.code}`} />
              </Form.Item>
            ))}
          </Form>
        </>
      )}
    </Modal>
  );
}
