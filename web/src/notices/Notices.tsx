import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type NoticeKind = 'error' | 'info';

interface Notice {
  id: number;
  message: string;
  kind: NoticeKind;
}

type Notify = (message: string, kind?: NoticeKind) => void;

const NoticeContext = createContext<Notify | null>(null);

// Long enough to read two sentences. A person can also dismiss a notice at once.
const NOTICE_LIFETIME_MS = 12_000;
const MAX_VISIBLE_NOTICES = 4;

/** Shows short messages (a failed save, a rolled-back change) above the page. */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setNotices((current) => current.filter((notice) => notice.id !== id));
  }, []);

  const notify = useCallback<Notify>((message, kind = 'error') => {
    const id = nextId.current++;
    setNotices((current) => {
      // The same message twice in a row (a burst of failures) is shown once.
      if (current.some((notice) => notice.message === message)) return current;
      return [...current, { id, message, kind }].slice(-MAX_VISIBLE_NOTICES);
    });
  }, []);

  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices">
        {notices.map((notice) => (
          <NoticeItem key={notice.id} notice={notice} onDismiss={dismiss} />
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

function NoticeItem({ notice, onDismiss }: { notice: Notice; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(notice.id), NOTICE_LIFETIME_MS);
    return () => window.clearTimeout(timer);
  }, [notice.id, onDismiss]);

  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span className="notice-message">{notice.message}</span>
      <button type="button" className="notice-dismiss" aria-label="Dismiss message" onClick={() => onDismiss(notice.id)}>
        ×
      </button>
    </div>
  );
}

export function useNotify(): Notify {
  const notify = useContext(NoticeContext);
  if (!notify) throw new Error('useNotify must be called inside a NoticeProvider.');
  return notify;
}
