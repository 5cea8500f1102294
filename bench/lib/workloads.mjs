// Access tokens and GraphQL documents for the wrk load scripts, written as a Lua data file per run.
import { createHash, createSecretKey, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { ACCESS_TOKEN_TTL_SECONDS, AUTH_SECRET, JWT_AUDIENCE, JWT_ISSUER, SEED_PASSWORD, WORK_DIR } from './settings.mjs';

const signingKey = createSecretKey(Buffer.from(AUTH_SECRET, 'utf8'));

/** The uuid PostgreSQL makes of md5(text)::uuid, as the seed does for every id. */
export function md5Uuid(text) {
  const hex = createHash('md5').update(text, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Seeded user number `n` (0 is the growth user): ids, email and the id of its first task. */
export function seededUser(n) {
  return {
    n,
    userId: md5Uuid(`bench-user-${n}`),
    sessionId: md5Uuid(`bench-session-${n}`),
    firstTaskId: md5Uuid(`bench-task-${n}-1`),
    email: n === 0 ? 'bench-growth@example.com' : `bench-user-${n}@example.com`,
  };
}

/** Signs an access token as the app does: HS256, sub, sid, iat, exp (ACCESS_TOKEN_TTL later), iss, aud, jti. */
export function signAccessToken(user) {
  const issuedAt = Math.floor(Date.now() / 1000);
  return jwt.sign({ sid: user.sessionId, iat: issuedAt, exp: issuedAt + ACCESS_TOKEN_TTL_SECONDS }, signingKey, {
    algorithm: 'HS256',
    subject: user.userId,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    jwtid: randomUUID(),
  });
}

const TASK_FIELDS = 'id title description completed completedAt priority dueDate createdAt updatedAt';

/** GraphQL documents of each operation, for the app's contract and for PostGraphile's generated schema. */
export const DOCUMENTS = {
  app: {
    tasks: (first = 20) =>
      `query Tasks { tasks(first: ${first}) { edges { cursor node { ${TASK_FIELDS} owner { id email } } } pageInfo { hasNextPage endCursor } } }`,
    tasksTotal: () =>
      `query TasksTotal { tasks(first: 20) { totalCount edges { cursor node { ${TASK_FIELDS} owner { id email } } } pageInfo { hasNextPage endCursor } } }`,
    counts: () => 'query Counts { taskCounts { all active completed } }',
    create: () => 'mutation Create($title: String!) { createTask(input: { title: $title, priority: HIGH }) { id title priority createdAt owner { id } } }',
    update: () => 'mutation Update($id: ID!, $completed: Boolean!) { updateTask(id: $id, input: { completed: $completed }) { id completed completedAt updatedAt } }',
    delete: () => 'mutation Delete($id: ID!) { deleteTask(id: $id) }',
    login: () =>
      'mutation Login($email: String!, $password: String!) { login(input: { email: $email, password: $password, refreshTokenDelivery: BODY }) { accessToken user { id } } }',
  },
  postgraphile: {
    tasks: (first = 20) =>
      `query Tasks { allTasks(first: ${first}, orderBy: [CREATED_AT_ASC, ID_ASC]) { edges { cursor node { ${TASK_FIELDS} owner: userByOwnerId { id email } } } pageInfo { hasNextPage endCursor } } }`,
    tasksTotal: () =>
      `query TasksTotal { allTasks(first: 20, orderBy: [CREATED_AT_ASC, ID_ASC]) { totalCount edges { cursor node { ${TASK_FIELDS} owner: userByOwnerId { id email } } } pageInfo { hasNextPage endCursor } } }`,
    counts: () => 'query Counts { all: allTasks { totalCount } completed: allTasks(condition: { completed: true }) { totalCount } }',
    create: () =>
      'mutation Create($title: String!, $ownerId: UUID!) { createTask(input: { task: { title: $title, ownerId: $ownerId, priority: HIGH } }) { task { id title priority createdAt ownerId } } }',
    update: () =>
      'mutation Update($id: UUID!, $completed: Boolean!) { updateTaskById(input: { id: $id, taskPatch: { completed: $completed } }) { task { id completed completedAt updatedAt } } }',
    delete: () => 'mutation Delete($id: UUID!) { deleteTaskById(input: { id: $id }) { task { id } } }',
  },
};

/** Operations of each workload with their shares; `mix` has 10 % mutations. */
export const WORKLOADS = {
  tasks: [['tasks', 1]],
  counts: [['counts', 1]],
  mix: [['tasks', 0.6], ['counts', 0.3], ['create', 0.04], ['update', 0.03], ['delete', 0.03]],
  tasksTotal: [['tasksTotal', 1]],
  login: [['login', 1]],
};

function luaString(text) {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Writes the Lua data file of one wrk run: a fresh token for each user number in `userNumbers`,
 * and the request-body prefix of each operation of `workload`. Returns its path.
 */
export function writeLoadData(name, { dialect, workload, userNumbers }) {
  const documents = DOCUMENTS[dialect];
  const operations = WORKLOADS[workload];
  const lines = ['return {', '  users = {'];
  for (const n of userNumbers) {
    const user = seededUser(n);
    lines.push(`    { ${[signAccessToken(user), user.userId, user.firstTaskId, user.email].map(luaString).join(', ')} },`);
  }
  lines.push('  },', '  prefixes = {');
  for (const [operation] of operations) {
    if (!documents[operation]) throw new Error(`Operation ${operation} has no ${dialect} document`);
    lines.push(`    ${operation} = ${luaString(`{"query":${JSON.stringify(documents[operation]())},"variables":`)},`);
  }
  lines.push('  },', '  operations = {');
  let cumulative = 0;
  for (const [operation, share] of operations) {
    cumulative += share;
    lines.push(`    { ${luaString(operation)}, ${cumulative} },`);
  }
  lines.push('  },', `  password = ${luaString(SEED_PASSWORD)},`, '}', '');
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, `${name}.lua`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** `count` user numbers spread evenly over 1..users, so that tokens cover the whole table. */
export function spreadUsers(users, count) {
  const numbers = [];
  const step = users / Math.min(count, users);
  for (let i = 0; i < Math.min(count, users); i++) numbers.push(1 + Math.floor(i * step));
  return numbers;
}
