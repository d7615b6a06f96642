import { createContext, type JSX, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Icon } from '../shared/icon.js';

/** How long a toast stays, in ms. */
const toastMs = 2200;

interface Toast {
  id: number;
  message: string;
  tone: 'success' | 'error';
}

type ShowToast = (message: string, tone?: Toast['tone']) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

/** Shows a short message at the bottom of the debug page (announced politely to screen readers). */
export function useToast(): ShowToast {
  return useContext(ToastContext);
}

/** Hosts the toasts of the debug page. */
export function DebugToastProvider({ children }: { children: ReactNode }): JSX.Element {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  const show = useCallback<ShowToast>((message, tone = 'success') => {
    const id = nextId.current++;
    // Keep at most three on screen; a repeated copy replaces the older toast.
    setToasts((current) => [...current.filter((toast) => toast.message !== message).slice(-2), { id, message, tone }]);
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setToasts((current) => current.filter((toast) => toast.id !== id));
    }, toastMs);
    timers.current.add(timer);
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="debug-toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="debug-toast" data-tone={toast.tone}>
            <Icon name={toast.tone === 'success' ? 'check' : 'alert'} size={14} />
            {toast.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
