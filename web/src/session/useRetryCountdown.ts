import { useEffect, useState } from 'react';

/** Counts down, once a second, the wait that a `RATE_LIMITED` error requests. */
export function useRetryCountdown() {
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (retryAt === null) return;
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= retryAt) {
        setRetryAt(null);
        window.clearInterval(timer);
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [retryAt]);

  const secondsLeft = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));

  return {
    secondsLeft,
    start(seconds: number) {
      const current = Date.now();
      setNow(current);
      setRetryAt(current + seconds * 1000);
    },
  };
}
