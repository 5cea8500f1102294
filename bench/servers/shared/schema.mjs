// The part of the app's GraphQL contract that the benchmark uses, with resolvers that run the
// app's SQL (api/src/tasks/task.service.ts, pagination.ts) for the default order: CREATED_AT ASC, no filter.
// Shared by the node:http, Apollo Server and Mercurius reference servers.
import { GraphQLError, buildSchema } from 'graphql';
import { requireViewer } from './auth.mjs';

export const TYPE_DEFS = /* GraphQL */ `
  scalar DateTime
  enum TaskPriority { LOW MEDIUM HIGH }
  type User { id: ID! email: String! createdAt: DateTime! }
  type Task {
    id: ID! title: String! description: String completed: Boolean! completedAt: DateTime
    priority: TaskPriority! dueDate: DateTime createdAt: DateTime! updatedAt: DateTime! owner: User!
  }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type TaskEdge { cursor: String! node: Task! }
  type TaskConnection { edges: [TaskEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type TaskCounts { all: Int! active: Int! completed: Int! }
  input CreateTaskInput { title: String! description: String priority: TaskPriority = MEDIUM dueDate: DateTime }
  input UpdateTaskInput { title: String description: String completed: Boolean priority: TaskPriority dueDate: DateTime }
  type Query {
    me: User!
    tasks(first: Int = 20, after: String): TaskConnection!
    taskCounts: TaskCounts!
  }
  type Mutation {
    createTask(input: CreateTaskInput!): Task!
    updateTask(id: ID!, input: UpdateTaskInput!): Task!
    deleteTask(id: ID!): ID!
  }
`;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP_KEY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const MAX_TASKS_PER_USER = 100_000;
const TASK_COLUMNS =
  't.id, t.owner_id, t.title, t.description, t.completed, t.completed_at, t.priority, t.due_date, t.created_at, t.updated_at';

function badInput(message) {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function notFound() {
  return new GraphQLError('Task not found', { extensions: { code: 'NOT_FOUND' } });
}

function toTask(row) {
  return {
    id: row.id,
    ownerId: row.owner_id,
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

// Cursors have the app's format: base64url of [field, direction, key, id].
function encodeCursor(key, id) {
  return Buffer.from(JSON.stringify(['CREATED_AT', 'ASC', key, id]), 'utf8').toString('base64url');
}

function decodeCursor(text) {
  let parsed;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badInput('Invalid cursor: pass an endCursor from a page of the same order');
  }
  const valid =
    Array.isArray(parsed) && parsed.length === 4 && parsed[0] === 'CREATED_AT' && parsed[1] === 'ASC' &&
    typeof parsed[2] === 'string' && TIMESTAMP_KEY.test(parsed[2]) && typeof parsed[3] === 'string' && UUID_PATTERN.test(parsed[3]);
  if (!valid) throw badInput('Invalid cursor: pass an endCursor from a page of the same order');
  return { key: parsed[2], id: parsed[3] };
}

function checkTitle(raw) {
  if (raw.includes('\u0000')) throw badInput('title must not contain U+0000');
  const title = raw.trim();
  const length = [...title].length;
  if (length === 0) throw badInput('title must not be empty');
  if (length > 500) throw badInput(`title must be at most 500 characters, got ${length}`);
  return title;
}

function checkDescription(description) {
  if (description.includes('\u0000')) throw badInput('description must not contain U+0000');
  const length = [...description].length;
  if (length > 10_000) throw badInput(`description must be at most 10000 characters, got ${length}`);
  return description;
}

async function listTasks(pool, ownerId, first, after) {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput(`first must be from 1 to 100, got ${first}`);
  const cursor = after ? decodeCursor(after) : undefined;
  const values = [ownerId];
  let keyset = '';
  if (cursor) {
    values.push(cursor.key, cursor.id);
    keyset = ' AND (t.created_at, t.id) > ($2::timestamptz, $3::uuid)';
  }
  values.push(first + 1);
  const { rows } = await pool.query(
    `SELECT ${TASK_COLUMNS}, (t.created_at)::text AS sort_key
         FROM tasks t
        WHERE t.owner_id = $1${keyset}
        ORDER BY t.created_at ASC, t.id ASC
        LIMIT $${values.length}`,
    values,
  );
  const hasNextPage = rows.length > first;
  const edges = (hasNextPage ? rows.slice(0, first) : rows).map((row) => ({ cursor: encodeCursor(row.sort_key, row.id), node: toTask(row) }));
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null },
    ownerId,
  };
}

async function updateTask(pool, ownerId, id, input) {
  const values = [];
  const add = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  const assignments = [];
  if (input.title !== undefined) {
    if (input.title === null) throw badInput('title cannot be null; omit it to keep the title');
    assignments.push(`title = ${add(checkTitle(input.title))}`);
  }
  if (input.description !== undefined) assignments.push(`description = ${add(input.description === null ? null : checkDescription(input.description))}`);
  if (input.completed !== undefined) {
    if (input.completed === null) throw badInput('completed cannot be null; pass true or false');
    const completed = add(input.completed);
    assignments.push(`completed = ${completed}`, `completed_at = CASE WHEN ${completed} THEN COALESCE(t.completed_at, now()) ELSE NULL END`);
  }
  if (input.priority !== undefined) {
    if (input.priority === null) throw badInput('priority cannot be null; pass LOW, MEDIUM or HIGH');
    assignments.push(`priority = ${add(input.priority)}`);
  }
  if (input.dueDate !== undefined) assignments.push(`due_date = ${add(input.dueDate)}`);
  if (!UUID_PATTERN.test(id)) throw notFound();
  if (assignments.length === 0) {
    const { rows } = await pool.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND t.owner_id = $2`, [id, ownerId]);
    if (rows.length === 0) throw notFound();
    return toTask(rows[0]);
  }
  assignments.push('updated_at = now()');
  const { rows } = await pool.query(
    `UPDATE tasks AS t SET ${assignments.join(', ')}
        WHERE t.id = ${add(id)} AND t.owner_id = ${add(ownerId)}
        RETURNING ${TASK_COLUMNS}`,
    values,
  );
  if (rows.length === 0) throw notFound();
  return toTask(rows[0]);
}

const resolvers = {
  Query: {
    me: async (_root, _args, context) => (await requireViewer(context)).user,
    tasks: async (_root, { first, after }, context) => {
      const viewer = await requireViewer(context);
      return listTasks(context.pool, viewer.user.id, first ?? 20, after);
    },
    taskCounts: async (_root, _args, context) => {
      const viewer = await requireViewer(context);
      const { rows } = await context.pool.query(
        `SELECT count(*)::int AS all, (count(*) FILTER (WHERE completed))::int AS completed FROM tasks WHERE owner_id = $1`,
        [viewer.user.id],
      );
      return { all: rows[0].all, active: rows[0].all - rows[0].completed, completed: rows[0].completed };
    },
  },
  Mutation: {
    createTask: async (_root, { input }, context) => {
      const viewer = await requireViewer(context);
      const title = checkTitle(input.title);
      const description = input.description == null ? null : checkDescription(input.description);
      // The app's create: the per-user task limit and the insert in one statement.
      const { rows } = await context.pool.query(
        `INSERT INTO tasks AS t (owner_id, title, description, priority, due_date)
       SELECT $1::uuid, $2::text, $3::text, $4::task_priority, $5::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE owner_id = $1::uuid OFFSET $6::int - 1 LIMIT 1)
       RETURNING ${TASK_COLUMNS}`,
        [viewer.user.id, title, description, input.priority ?? 'MEDIUM', input.dueDate ?? null, MAX_TASKS_PER_USER],
      );
      if (rows.length === 0) throw badInput(`Task limit reached: an account can have at most ${MAX_TASKS_PER_USER} tasks`);
      return toTask(rows[0]);
    },
    updateTask: async (_root, { id, input }, context) => {
      const viewer = await requireViewer(context);
      return updateTask(context.pool, viewer.user.id, id, input);
    },
    deleteTask: async (_root, { id }, context) => {
      const viewer = await requireViewer(context);
      if (!UUID_PATTERN.test(id)) throw notFound();
      const { rows } = await context.pool.query(`DELETE FROM tasks WHERE id = $1 AND owner_id = $2 RETURNING id`, [id, viewer.user.id]);
      if (rows.length === 0) throw notFound();
      return rows[0].id;
    },
  },
  TaskConnection: {
    totalCount: async (connection, _args, context) => {
      const { rows } = await context.pool.query(`SELECT count(*)::int AS count FROM tasks t WHERE t.owner_id = $1`, [connection.ownerId]);
      return rows[0].count;
    },
  },
  Task: {
    // Every task a caller can reach is their own, so the owner comes from the session check, as in the app's primed DataLoader.
    owner: async (task, _args, context) => {
      const viewer = await requireViewer(context);
      if (task.ownerId === viewer.user.id) return viewer.user;
      const { rows } = await context.pool.query(`SELECT id, email, created_at FROM users WHERE id = $1`, [task.ownerId]);
      if (rows.length === 0) throw new Error(`Owner ${task.ownerId} of task ${task.id} not found`);
      return { id: rows[0].id, email: rows[0].email, createdAt: rows[0].created_at };
    },
  },
};

function parseDateTime(value) {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
  return date;
}

/** Builds the executable schema: the SDL above with the resolvers attached to its fields. */
export function createSchema() {
  const schema = buildSchema(TYPE_DEFS);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    for (const [fieldName, resolve] of Object.entries(fields)) type.getFields()[fieldName].resolve = resolve;
  }
  const dateTime = schema.getType('DateTime');
  dateTime.serialize = (value) => (value instanceof Date ? value.toISOString() : value);
  dateTime.parseValue = parseDateTime;
  dateTime.parseLiteral = (ast) => parseDateTime(ast.value);
  return schema;
}
