import { App } from 'antd';
import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api-error';

/** Shows an API failure the way users expect: the server's own message, or a translated fallback. */
export function useApiErrorNotifier(): (error: unknown) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        if (error.message) void message.error(error.message);
        else if (error.isNetworkError) void message.error(t('errors.network'));
        else void message.error(t('errors.http', { status: error.status }));
        return;
      }
      void message.error(t('errors.network'));
    },
    [message, t],
  );
}

/**
 * One user action at a time against the API: `busy` while it runs (for buttons' loading state), failures
 * shown by `onError` — the server's message by default.
 */
export function useBusyAction(): { busy: boolean; run: (work: () => Promise<void>, onError?: (error: unknown) => void) => Promise<void> } {
  const notify = useApiErrorNotifier();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (work: () => Promise<void>, onError: (error: unknown) => void = notify) => {
      setBusy(true);
      try {
        await work();
      } catch (error) {
        onError(error);
      } finally {
        setBusy(false);
      }
    },
    [notify],
  );
  return { busy, run };
}

export interface ApiQuery<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/** Loads data on mount (and when deps change), reporting failures once through the notifier. */
export function useApiQuery<T>(load: () => Promise<T>, deps: DependencyList): ApiQuery<T> {
  const notify = useApiErrorNotifier();
  const [state, setState] = useState<{ data: T | undefined; loading: boolean; error: unknown }>({
    data: undefined,
    loading: true,
    error: undefined,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => !cancelled && setState({ data, loading: false, error: undefined }),
      (error: unknown) => {
        if (cancelled) return;
        setState((s) => ({ ...s, loading: false, error }));
        // A 401 that could not be refreshed already sends the user to the login page; don't pile a toast on it.
        if (!(error instanceof ApiError && error.status === 401)) notify(error);
      },
    );
    return () => {
      cancelled = true;
    };
    // Deps are the caller's, as with useEffect (the factory/loader itself is deliberately not a dependency).
  }, [...deps, generation]);

  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
