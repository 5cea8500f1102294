import type { TaskOrder } from './taskOperations';

export const SORT_OPTIONS = [
  { id: 'created-asc', label: 'Oldest first', orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
  { id: 'created-desc', label: 'Newest first', orderBy: { field: 'CREATED_AT', direction: 'DESC' } },
  { id: 'updated-desc', label: 'Recently changed', orderBy: { field: 'UPDATED_AT', direction: 'DESC' } },
  { id: 'due-asc', label: 'Due date', orderBy: { field: 'DUE_DATE', direction: 'ASC' } },
  { id: 'priority-desc', label: 'Priority, high first', orderBy: { field: 'PRIORITY', direction: 'DESC' } },
  { id: 'title-asc', label: 'Title, A to Z', orderBy: { field: 'TITLE', direction: 'ASC' } },
] as const satisfies ReadonlyArray<{ id: string; label: string; orderBy: TaskOrder }>;

export type SortOptionId = (typeof SORT_OPTIONS)[number]['id'];

/** The API's default order, so that the list grows at the bottom. */
export const DEFAULT_SORT: SortOptionId = 'created-asc';

export function orderOf(id: SortOptionId): TaskOrder {
  return SORT_OPTIONS.find((option) => option.id === id)?.orderBy ?? SORT_OPTIONS[0].orderBy;
}
