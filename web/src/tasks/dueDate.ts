/*
 * Due dates are days. The app stores a day as midnight UTC of that date and shows the
 * UTC date of a stored instant, so a day never shifts with the viewer's time zone.
 * NOTE: a due date that another client set to a time of day shows as its UTC date.
 */

/** Converts the value of an `<input type="date">` (YYYY-MM-DD) into an ISO 8601 instant. */
export function dueDateFromInput(value: string): string | null {
  return value === '' ? null : `${value}T00:00:00.000Z`;
}

/** Converts a stored instant into the value of an `<input type="date">`. */
export function dueDateToInput(dueDate: string | null): string {
  return dueDate === null ? '' : new Date(dueDate).toISOString().slice(0, 10);
}

const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDueDate(dueDate: string): string {
  return DAY_FORMAT.format(new Date(dueDate));
}

/** Tells whether the due day is before today, in the viewer's own calendar. */
export function isOverdue(dueDate: string, now = new Date()): boolean {
  const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map((part, index) => String(part).padStart(index === 0 ? 4 : 2, '0'))
    .join('-');
  return dueDateToInput(dueDate) < today;
}
