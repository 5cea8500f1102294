import { BadUserInputError } from '../errors';
import { OrderDirection, TaskOrderField } from './task.types';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** A position in a list: the sort key and id of the last task of a page, and the order they belong to. */
export interface Cursor {
  field: TaskOrderField;
  direction: OrderDirection;
  /** The sort key as PostgreSQL's text form, so that timestamps keep their microseconds. Null for a task without a due date. */
  key: string | null;
  id: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.field, cursor.direction, cursor.key, cursor.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for the same order; anything else is BAD_USER_INPUT. */
export function decodeCursor(text: string, field: TaskOrderField, direction: OrderDirection): Cursor {
  const invalid = new BadUserInputError('Invalid cursor: pass an endCursor from a page of the same order', 'after');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid;
  const [cursorField, cursorDirection, key, id] = parsed as unknown[];
  if (cursorField !== field || cursorDirection !== direction) {
    throw new BadUserInputError('Invalid cursor: it belongs to another order; start again without `after`', 'after');
  }
  if (typeof id !== 'string' || !UUID_PATTERN.test(id)) throw invalid;
  if (key !== null && (typeof key !== 'string' || key.length > 2000)) throw invalid;
  if (key === null && field !== TaskOrderField.DUE_DATE) throw invalid;
  if (key !== null && !isValidKey(field, key)) throw invalid;
  return { field, direction, key, id };
}

const PRIORITY_KEYS = new Set(['LOW', 'MEDIUM', 'HIGH']);

function isValidKey(field: TaskOrderField, key: string): boolean {
  switch (field) {
    case TaskOrderField.PRIORITY:
      return PRIORITY_KEYS.has(key);
    case TaskOrderField.TITLE:
      return !key.includes('\u0000') && key.isWellFormed();
    default:
      // PostgreSQL's text form of a timestamptz, such as "2026-12-04 21:32:06.123456+00".
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/.test(key);
  }
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
}

/** The SQL expression of each sort key, as text for cursors, and the type to cast a cursor's key back to. */
export const SORT_KEYS: Record<TaskOrderField, { expression: string; cast: string }> = {
  [TaskOrderField.CREATED_AT]: { expression: 't.created_at', cast: 'timestamptz' },
  [TaskOrderField.UPDATED_AT]: { expression: 't.updated_at', cast: 'timestamptz' },
  [TaskOrderField.DUE_DATE]: { expression: 't.due_date', cast: 'timestamptz' },
  [TaskOrderField.PRIORITY]: { expression: 't.priority', cast: 'task_priority' },
  // Code-point order ("C") gives the same order on every server, whatever its default collation.
  [TaskOrderField.TITLE]: { expression: 'lower(t.title) COLLATE "C"', cast: 'text' },
};

/**
 * Builds the ORDER BY clause and, after a cursor, the keyset condition that starts the next
 * page right after it. `parameter` adds a value to the query and returns its placeholder.
 */
export function keysetSql(
  field: TaskOrderField,
  direction: OrderDirection,
  cursor: Cursor | undefined,
  parameter: (value: unknown) => string,
): { orderBy: string; condition?: string } {
  const { expression, cast } = SORT_KEYS[field];
  const sqlDirection = direction === OrderDirection.ASC ? 'ASC' : 'DESC';
  const after = direction === OrderDirection.ASC ? '>' : '<';

  if (field === TaskOrderField.DUE_DATE) {
    // Tasks without a due date come last in both directions.
    const orderBy = `${expression} ${sqlDirection} NULLS LAST, t.id ${sqlDirection}`;
    if (!cursor) return { orderBy };
    if (cursor.key === null) return { orderBy, condition: `(${expression} IS NULL AND t.id ${after} ${parameter(cursor.id)}::uuid)` };
    const condition = `(${expression} IS NULL OR (${expression}, t.id) ${after} (${parameter(cursor.key)}::${cast}, ${parameter(cursor.id)}::uuid))`;
    return { orderBy, condition };
  }

  const orderBy = `${expression} ${sqlDirection}, t.id ${sqlDirection}`;
  if (!cursor) return { orderBy };
  const key = field === TaskOrderField.TITLE ? `${parameter(cursor.key)}::text COLLATE "C"` : `${parameter(cursor.key)}::${cast}`;
  return { orderBy, condition: `(${expression}, t.id) ${after} (${key}, ${parameter(cursor.id)}::uuid)` };
}
