import { useLocationHash } from '../hashRoute';
import type { TaskStatus } from './taskOperations';

/**
 * The filter links. Each is a URL fragment, so that a filter survives a reload and the
 * back button walks through them.
 */
export const STATUS_ROUTES: ReadonlyArray<{ status: TaskStatus; hash: string; label: string }> = [
  { status: 'ALL', hash: '#/', label: 'All' },
  { status: 'ACTIVE', hash: '#/active', label: 'Active' },
  { status: 'COMPLETED', hash: '#/completed', label: 'Completed' },
];

export function statusFromHash(hash: string): TaskStatus {
  return STATUS_ROUTES.find((route) => route.hash === hash)?.status ?? 'ALL';
}

/** Returns the status filter named by the URL fragment (`#/`, `#/active`, `#/completed`). */
export function useStatusRoute(): TaskStatus {
  return statusFromHash(useLocationHash());
}
