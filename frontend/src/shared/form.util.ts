import type { FormInstance } from 'antd';

/**
 * antd's `validateFields` rejects when a field is invalid. The form already shows those messages next to
 * the fields, so that is an expected outcome (null), not an error to leave unhandled.
 */
export async function validFields<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'errorFields' in error) return null;
    throw error;
  }
}
