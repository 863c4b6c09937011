import { unwrap } from './api-error';

/** Hands a file fetched through the authorised client (token refresh included) to the browser as a download. */
export async function downloadBlob(call: Promise<{ data?: unknown; error?: unknown; response: Response }>, fileName: string): Promise<void> {
  const blob = (await unwrap(call)) as unknown as Blob;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
