import type { Sql } from '../sql';
import { BadUserInputError, NotFoundError } from '../errors';
import { checkText, codePointLength } from '../text';
import type { User } from '../auth/user.entity';
import { TaskPriority, type Task } from './task.entity';
import { checkPageSize, decodeCursor, encodeCursor, keysetSql, SORT_KEYS, type Cursor } from './pagination';
import { OrderDirection, TaskOrderField, TaskStatus, type CreateTaskInput, type TaskFilter, type UpdateTaskInput } from './task.types';
import type { Timestamp } from '../timestamps';

export const MAX_TITLE_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 10_000;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TaskRow {
  id: string;
  owner_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completed_at: Timestamp | null;
  priority: TaskPriority;
  due_date: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  sort_key?: string | null;
}

const TASK_COLUMNS =
  't.id, t.owner_id, t.title, t.description, t.completed, t.completed_at, t.priority, t.due_date, t.created_at, t.updated_at';

function toTask(row: TaskRow, owner: User): Task {
  return {
    id: row.id,
    ownerId: row.owner_id,
    owner,
    title: row.title,
    description: row.description,
    completed: row.completed,
    completedAt: row.completed_at,
    priority: row.priority,
    dueDate: row.due_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface TaskListRequest {
  filter?: TaskFilter | null;
  field: TaskOrderField;
  direction: OrderDirection;
  first: number;
  after?: string | null;
}

export interface TaskPage {
  edges: Array<{ cursor: string; node: Task }>;
  hasNextPage: boolean;
  endCursor: string | null;
  countTotal: () => Promise<number>;
}

/** Collects positional parameters for one SQL statement. */
class Parameters {
  readonly values: unknown[] = [];

  add = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

/**
 * The task list of one owner. Every statement it runs has `owner_id = <owner>` in its WHERE
 * clause, so a task of anyone else behaves exactly like one that does not exist. It cannot
 * be made without an owner, and no input can change a task's owner. Every task it returns
 * carries that owner, so reading `Task.owner` costs no statement.
 */
export class TaskService {
  readonly ownerId: string;

  constructor(
    private readonly db: Sql,
    private readonly owner: User,
    private readonly options: { maxTasks: number } = { maxTasks: 100_000 },
  ) {
    if (!UUID_PATTERN.test(owner.id)) throw new Error('TaskService needs the owner’s user id');
    this.ownerId = owner.id;
  }

  /** Returns the task, or undefined when it does not exist or is not the owner's. */
  async find(id: string): Promise<Task | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const rows: TaskRow[] = await this.db.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND t.owner_id = $2`, [
      id,
      this.ownerId,
    ]);
    return rows[0] ? toTask(rows[0], this.owner) : undefined;
  }

  async list(request: TaskListRequest): Promise<TaskPage> {
    checkPageSize(request.first);
    const cursor = request.after != null ? decodeCursor(request.after, request.field, request.direction) : undefined;

    const parameters = new Parameters();
    const conditions = this.filterConditions(request.filter, parameters.add);
    const countConditions = [...conditions];
    const countValues = [...parameters.values];
    const keyset = keysetSql(request.field, request.direction, cursor, parameters.add);
    if (keyset.condition) conditions.push(keyset.condition);

    const sortKey = SORT_KEYS[request.field].expression;
    const limit = parameters.add(request.first + 1);
    const rows: TaskRow[] = await this.db.query(
      `SELECT ${TASK_COLUMNS}, (${sortKey})::text AS sort_key
         FROM tasks t
        WHERE ${conditions.join(' AND ')}
        ORDER BY ${keyset.orderBy}
        LIMIT ${limit}`,
      parameters.values,
    );

    const hasNextPage = rows.length > request.first;
    const pageRows = hasNextPage ? rows.slice(0, request.first) : rows;
    const edges = pageRows.map((row) => ({
      cursor: encodeCursor({ field: request.field, direction: request.direction, key: row.sort_key ?? null, id: row.id }),
      node: toTask(row, this.owner),
    }));
    return {
      edges,
      hasNextPage,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
      countTotal: async () => {
        const counted: Array<{ count: number }> = await this.db.query(
          `SELECT count(*)::int AS count FROM tasks t WHERE ${countConditions.join(' AND ')}`,
          countValues,
        );
        return counted[0].count;
      },
    };
  }

  async counts(): Promise<{ all: number; active: number; completed: number }> {
    const rows: Array<{ all: number; completed: number }> = await this.db.query(
      `SELECT count(*)::int AS all, (count(*) FILTER (WHERE completed))::int AS completed FROM tasks WHERE owner_id = $1`,
      [this.ownerId],
    );
    const { all, completed } = rows[0];
    return { all, active: all - completed, completed };
  }

  async create(input: CreateTaskInput): Promise<Task> {
    const title = checkTitle(input.title);
    const description = input.description == null ? null : checkDescription(input.description);
    // The limit check and the insert are one statement. NOTE: concurrent creates can still pass
    // the check together, so a list can end a few tasks over the limit (bounded by the mutation rate limit).
    const rows: TaskRow[] = await this.db.query(
      `INSERT INTO tasks AS t (owner_id, title, description, priority, due_date)
       SELECT $1::uuid, $2::text, $3::text, $4::task_priority, $5::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE owner_id = $1::uuid OFFSET $6::int - 1 LIMIT 1)
       RETURNING ${TASK_COLUMNS}`,
      [this.ownerId, title, description, input.priority ?? TaskPriority.MEDIUM, input.dueDate ?? null, this.options.maxTasks],
    );
    if (rows.length === 0) {
      throw new BadUserInputError(`Task limit reached: an account can have at most ${this.options.maxTasks} tasks; delete some first`);
    }
    return toTask(rows[0], this.owner);
  }

  /** Applies the fields present in `input`. A missing task and another owner's are both NOT_FOUND. */
  async update(id: string, input: UpdateTaskInput): Promise<Task> {
    const parameters = new Parameters();
    const assignments: string[] = [];

    if (input.title !== undefined) {
      if (input.title === null) throw new BadUserInputError('title cannot be null; omit it to keep the title', 'input.title');
      assignments.push(`title = ${parameters.add(checkTitle(input.title))}`);
    }
    if (input.description !== undefined) {
      const description = input.description === null ? null : checkDescription(input.description);
      assignments.push(`description = ${parameters.add(description)}`);
    }
    if (input.completed !== undefined) {
      if (input.completed === null) throw new BadUserInputError('completed cannot be null; pass true or false', 'input.completed');
      const completed = parameters.add(input.completed);
      assignments.push(`completed = ${completed}`);
      // Completing an already completed task keeps its original completion time.
      assignments.push(`completed_at = CASE WHEN ${completed} THEN COALESCE(t.completed_at, now()) ELSE NULL END`);
    }
    if (input.priority !== undefined) {
      if (input.priority === null) throw new BadUserInputError('priority cannot be null; pass LOW, MEDIUM or HIGH', 'input.priority');
      assignments.push(`priority = ${parameters.add(input.priority)}`);
    }
    if (input.dueDate !== undefined) {
      assignments.push(`due_date = ${parameters.add(input.dueDate)}`);
    }

    if (!UUID_PATTERN.test(id)) throw new NotFoundError('Task');
    if (assignments.length === 0) {
      const task = await this.find(id);
      if (!task) throw new NotFoundError('Task');
      return task;
    }

    assignments.push('updated_at = now()');
    const rows: TaskRow[] = await this.db.query(
      `UPDATE tasks AS t SET ${assignments.join(', ')}
        WHERE t.id = ${parameters.add(id)} AND t.owner_id = ${parameters.add(this.ownerId)}
        RETURNING ${TASK_COLUMNS}`,
      parameters.values,
    );
    if (rows.length === 0) throw new NotFoundError('Task');
    return toTask(rows[0], this.owner);
  }

  /** Deletes a task and returns its id. A missing task and another owner's are both NOT_FOUND. */
  async delete(id: string): Promise<string> {
    if (!UUID_PATTERN.test(id)) throw new NotFoundError('Task');
    const rows: Array<{ id: string }> = await this.db.query(`DELETE FROM tasks WHERE id = $1 AND owner_id = $2 RETURNING id`, [
      id,
      this.ownerId,
    ]);
    if (rows.length === 0) throw new NotFoundError('Task');
    return rows[0].id;
  }

  /** Completes or reopens every task of the owner, returning how many changed. */
  async setAllCompleted(completed: boolean): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query(
      `UPDATE tasks SET completed = $2, completed_at = CASE WHEN $2 THEN now() ELSE NULL END, updated_at = now()
        WHERE owner_id = $1 AND completed <> $2
        RETURNING id`,
      [this.ownerId, completed],
    );
    return rows.length;
  }

  /** Deletes every completed task of the owner, returning how many. */
  async clearCompleted(): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query(`DELETE FROM tasks WHERE owner_id = $1 AND completed RETURNING id`, [
      this.ownerId,
    ]);
    return rows.length;
  }

  private filterConditions(filter: TaskFilter | null | undefined, parameter: (value: unknown) => string): string[] {
    const conditions = [`t.owner_id = ${parameter(this.ownerId)}`];
    if (!filter) return conditions;

    if (filter.status === TaskStatus.ACTIVE) conditions.push('NOT t.completed');
    if (filter.status === TaskStatus.COMPLETED) conditions.push('t.completed');
    if (filter.search != null && filter.search !== '') {
      checkText(filter.search, 'filter.search');
      if (codePointLength(filter.search) > MAX_TITLE_LENGTH) {
        throw new BadUserInputError(`filter.search must be at most ${MAX_TITLE_LENGTH} characters`, 'filter.search');
      }
      const pattern = parameter(`%${escapeLikePattern(filter.search)}%`);
      conditions.push(`(t.title ILIKE ${pattern} OR t.description ILIKE ${pattern})`);
    }
    if (filter.priority != null) conditions.push(`t.priority = ${parameter(filter.priority)}`);
    if (filter.dueBefore != null) conditions.push(`t.due_date <= ${parameter(filter.dueBefore)}`);
    if (filter.dueAfter != null) conditions.push(`t.due_date >= ${parameter(filter.dueAfter)}`);
    return conditions;
  }
}

/** Makes `%`, `_` and `\` match themselves in an ILIKE pattern (backslash is PostgreSQL's default escape). */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function checkTitle(raw: string): string {
  checkText(raw, 'title');
  const title = raw.trim();
  const length = codePointLength(title);
  if (length === 0) throw new BadUserInputError('title must not be empty', 'title');
  if (length > MAX_TITLE_LENGTH) {
    throw new BadUserInputError(`title must be at most ${MAX_TITLE_LENGTH} characters, got ${length}`, 'title');
  }
  return title;
}

function checkDescription(description: string): string {
  checkText(description, 'description');
  const length = codePointLength(description);
  if (length > MAX_DESCRIPTION_LENGTH) {
    throw new BadUserInputError(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters, got ${length}`, 'description');
  }
  return description;
}

export type { Cursor };
