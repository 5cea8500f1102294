import { errorCode, gql, registerUser, type TestUser } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  user = await registerUser(server);
});

afterAll(async () => {
  await server.close();
});

const TASK_FIELDS = 'id title description completed completedAt priority dueDate createdAt updatedAt owner { id email }';
const CREATE = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${TASK_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { ${TASK_FIELDS} } }`;
const GET = `query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;
const COUNTS = 'query { taskCounts { all active completed } }';

function call(query: string, variables: Record<string, unknown> = {}) {
  return gql(server, query, variables, { token: user.accessToken });
}

async function createTask(input: Record<string, unknown>) {
  const response = await call(CREATE, { input });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.createTask;
}

async function list(variables: Record<string, unknown> = {}) {
  const response = await call(
    `query($filter: TaskFilter, $orderBy: TaskOrder, $first: Int, $after: String) {
       tasks(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
         edges { cursor node { id title } } pageInfo { hasNextPage endCursor } totalCount
       } }`,
    variables,
  );
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.tasks;
}

describe('createTask', () => {
  it('creates a task with defaults', async () => {
    const task = await createTask({ title: '  Buy milk  ' });

    expect(task.title).toBe('Buy milk');
    expect(task.description).toBeNull();
    expect(task.completed).toBe(false);
    expect(task.completedAt).toBeNull();
    expect(task.priority).toBe('MEDIUM');
    expect(task.dueDate).toBeNull();
    expect(task.owner).toEqual({ id: user.id, email: user.email });
    expect(new Date(task.createdAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('keeps every field as given', async () => {
    const dueDate = '2030-01-02T03:04:05.678Z';
    const description = '  Two lines,\nwith spaces kept  ';
    const task = await createTask({ title: 'Report', description, priority: 'HIGH', dueDate });

    expect(task.description).toBe(description);
    expect(task.priority).toBe('HIGH');
    expect(task.dueDate).toBe(dueDate);
    expect((await call(GET, { id: task.id })).data!.task).toEqual(task);
  });

  it('keeps any valid Unicode exactly', async () => {
    const title = 'Ünïcödé 🎉 中文 עברית e\u0301';
    const task = await createTask({ title, description: '🏳️‍🌈\t\u200b' });
    expect(task.title).toBe(title);
    expect(task.description).toBe('🏳️‍🌈\t\u200b');
  });

  it.each([
    ['an empty title', { title: '' }],
    ['a title of spaces only', { title: '   \t\n ' }],
    ['a title over 500 characters', { title: 'a'.repeat(501) }],
    ['a title over 500 characters in emoji', { title: '😀'.repeat(501) }],
    ['a description over 10,000 characters', { title: 'ok', description: 'd'.repeat(10_001) }],
    ['a NUL character in the title', { title: 'a\u0000b' }],
    ['a NUL character in the description', { title: 'ok', description: 'a\u0000b' }],
    ['a lone surrogate', { title: 'a\ud800b' }],
  ])('rejects %s', async (_case, input) => {
    const response = await call(CREATE, { input });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const counts = (await call(COUNTS)).data!.taskCounts;
    expect(counts.all).toBe(0);
  });

  it('accepts the limits exactly', async () => {
    const task = await createTask({ title: '😀'.repeat(500), description: 'é'.repeat(10_000) });
    expect([...task.title]).toHaveLength(500);
    expect([...task.description]).toHaveLength(10_000);
  });

  it('rejects an invalid date and an unknown priority', async () => {
    expect(errorCode(await call(CREATE, { input: { title: 'x', dueDate: 'tomorrow' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await call(CREATE, { input: { title: 'x', priority: 'URGENT' } }))).toBe('BAD_USER_INPUT');
  });

  it('ignores an owner in the input', async () => {
    const response = await call(CREATE, { input: { title: 'x', ownerId: '00000000-0000-4000-8000-000000000000' } });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });
});

describe('updateTask', () => {
  it('changes only the fields given', async () => {
    const task = await createTask({ title: 'Old', description: 'keep me', priority: 'LOW', dueDate: '2030-01-01T00:00:00.000Z' });
    const updated = (await call(UPDATE, { id: task.id, input: { title: ' New ' } })).data!.updateTask;

    expect(updated.title).toBe('New');
    expect(updated.description).toBe('keep me');
    expect(updated.priority).toBe('LOW');
    expect(updated.dueDate).toBe('2030-01-01T00:00:00.000Z');
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(task.updatedAt).getTime());
  });

  it('clears description and dueDate with null', async () => {
    const task = await createTask({ title: 'x', description: 'd', dueDate: '2030-01-01T00:00:00.000Z' });
    const updated = (await call(UPDATE, { id: task.id, input: { description: null, dueDate: null } })).data!.updateTask;
    expect(updated.description).toBeNull();
    expect(updated.dueDate).toBeNull();
  });

  it.each([['title'], ['completed'], ['priority']])('rejects null for %s', async (field) => {
    const task = await createTask({ title: 'unchanged' });
    const response = await call(UPDATE, { id: task.id, input: { [field]: null } });

    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect((await call(GET, { id: task.id })).data!.task).toEqual(task);
  });

  it('rejects an invalid title and changes nothing', async () => {
    const task = await createTask({ title: 'unchanged', description: 'same' });
    const response = await call(UPDATE, { id: task.id, input: { title: ' ', description: 'changed' } });

    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect((await call(GET, { id: task.id })).data!.task).toEqual(task);
  });

  it('sets completedAt on completion and clears it on reopening', async () => {
    const task = await createTask({ title: 'x' });
    const done = (await call(UPDATE, { id: task.id, input: { completed: true } })).data!.updateTask;
    expect(done.completed).toBe(true);
    expect(done.completedAt).not.toBeNull();

    const again = (await call(UPDATE, { id: task.id, input: { completed: true } })).data!.updateTask;
    expect(again.completedAt).toBe(done.completedAt);

    const reopened = (await call(UPDATE, { id: task.id, input: { completed: false } })).data!.updateTask;
    expect(reopened.completed).toBe(false);
    expect(reopened.completedAt).toBeNull();
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    expect(errorCode(await call(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { title: 'x' } }))).toBe('NOT_FOUND');
    expect(errorCode(await call(UPDATE, { id: 'not-a-uuid', input: { title: 'x' } }))).toBe('NOT_FOUND');
    expect(errorCode(await call(UPDATE, { id: 'not-a-uuid', input: {} }))).toBe('NOT_FOUND');
  });
});

describe('deleteTask', () => {
  it('deletes and returns the id', async () => {
    const task = await createTask({ title: 'x' });
    const response = await call('mutation($id: ID!) { deleteTask(id: $id) }', { id: task.id });

    expect(response.data!.deleteTask).toBe(task.id);
    expect((await call(GET, { id: task.id })).data!.task).toBeNull();
    expect(errorCode(await call('mutation($id: ID!) { deleteTask(id: $id) }', { id: task.id }))).toBe('NOT_FOUND');
  });
});

describe('bulk mutations and counts', () => {
  it('counts, completes all, reopens all and clears completed', async () => {
    const [a, b] = [await createTask({ title: 'a' }), await createTask({ title: 'b' })];
    await createTask({ title: 'c' });
    await call(UPDATE, { id: a.id, input: { completed: true } });
    expect((await call(COUNTS)).data!.taskCounts).toEqual({ all: 3, active: 2, completed: 1 });

    expect((await call('mutation { setAllTasksCompleted(completed: true) }')).data!.setAllTasksCompleted).toBe(2);
    expect((await call(COUNTS)).data!.taskCounts).toEqual({ all: 3, active: 0, completed: 3 });
    const completedB = (await call(GET, { id: b.id })).data!.task;
    expect(completedB.completedAt).not.toBeNull();

    expect((await call('mutation { setAllTasksCompleted(completed: false) }')).data!.setAllTasksCompleted).toBe(3);
    expect((await call(COUNTS)).data!.taskCounts).toEqual({ all: 3, active: 3, completed: 0 });

    await call(UPDATE, { id: b.id, input: { completed: true } });
    expect((await call('mutation { clearCompletedTasks }')).data!.clearCompletedTasks).toBe(1);
    expect((await call(COUNTS)).data!.taskCounts).toEqual({ all: 2, active: 2, completed: 0 });
  });
});

describe('tasks filter', () => {
  it('filters by status', async () => {
    const done = await createTask({ title: 'done' });
    await createTask({ title: 'open' });
    await call(UPDATE, { id: done.id, input: { completed: true } });

    const titles = async (status: string) => (await list({ filter: { status } })).edges.map((edge: any) => edge.node.title);
    expect(await titles('ALL')).toEqual(['done', 'open']);
    expect(await titles('ACTIVE')).toEqual(['open']);
    expect(await titles('COMPLETED')).toEqual(['done']);
  });

  it('searches title and description case-insensitively, with % and _ literal', async () => {
    await createTask({ title: 'Buy MILK' });
    await createTask({ title: 'Call mom', description: 'about the milkman' });
    await createTask({ title: '100% done' });
    await createTask({ title: '1000 things' });
    await createTask({ title: 'snake_case' });
    await createTask({ title: 'snakeXcase' });
    await createTask({ title: 'Ärger mit Öl' });

    const titles = async (search: string) => (await list({ filter: { search } })).edges.map((edge: any) => edge.node.title);
    expect(await titles('milk')).toEqual(['Buy MILK', 'Call mom']);
    expect(await titles('0%')).toEqual(['100% done']);
    expect(await titles('e_c')).toEqual(['snake_case']);
    expect(await titles('ärger')).toEqual(['Ärger mit Öl']);
    expect(await titles('\\')).toEqual([]);
  });

  it('filters by priority and an inclusive due range', async () => {
    await createTask({ title: 'early', dueDate: '2030-01-01T00:00:00.000Z', priority: 'HIGH' });
    await createTask({ title: 'middle', dueDate: '2030-06-01T00:00:00.000Z' });
    await createTask({ title: 'late', dueDate: '2030-12-31T00:00:00.000Z', priority: 'HIGH' });
    await createTask({ title: 'never' });

    const titles = async (filter: object) => (await list({ filter })).edges.map((edge: any) => edge.node.title);
    expect(await titles({ priority: 'HIGH' })).toEqual(['early', 'late']);
    expect(await titles({ dueAfter: '2030-06-01T00:00:00.000Z' })).toEqual(['middle', 'late']);
    expect(await titles({ dueBefore: '2030-06-01T00:00:00.000Z' })).toEqual(['early', 'middle']);
    expect(await titles({ dueAfter: '2030-02-01T00:00:00Z', dueBefore: '2030-12-01T00:00:00Z' })).toEqual(['middle']);
    expect((await list({ filter: { priority: 'HIGH' } })).totalCount).toBe(2);
  });
});

describe('tasks arguments', () => {
  it.each([[0], [101], [-1]])('rejects first = %d', async (first) => {
    expect(errorCode(await call('query($first: Int) { tasks(first: $first) { totalCount } }', { first }))).toBe('BAD_USER_INPUT');
  });

  it('accepts first = 1 and first = 100', async () => {
    await createTask({ title: 'a' });
    expect((await list({ first: 1 })).edges).toHaveLength(1);
    expect((await list({ first: 100 })).edges).toHaveLength(1);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['JSON of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad id', Buffer.from('["CREATED_AT","ASC","2026-01-01 00:00:00+00","x"]').toString('base64url')],
    ['a bad key', Buffer.from('["CREATED_AT","ASC","yesterday","00000000-0000-4000-8000-000000000000"]').toString('base64url')],
  ])('rejects a cursor that is %s', async (_case, after) => {
    expect(errorCode(await call('query($after: String) { tasks(after: $after) { totalCount } }', { after }))).toBe('BAD_USER_INPUT');
  });

  it('rejects a cursor of another order', async () => {
    await createTask({ title: 'a' });
    await createTask({ title: 'b' });
    const page = await list({ first: 1 });

    const response = await call('query($after: String) { tasks(after: $after, orderBy: { field: TITLE }) { totalCount } }', {
      after: page.pageInfo.endCursor,
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });

  it('answers null for an unknown or malformed task id', async () => {
    expect((await call(GET, { id: '00000000-0000-4000-8000-000000000000' })).data!.task).toBeNull();
    expect((await call(GET, { id: 'nope' })).data!.task).toBeNull();
  });
});
