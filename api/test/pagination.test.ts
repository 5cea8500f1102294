import { gql, registerUser, type TestUser } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let user: TestUser;

interface Row {
  id: string;
  title: string;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  due_date: string | null;
}

const TASK_COUNT = 300;
let rows: Row[];

beforeAll(async () => {
  server = await startTestServer();
  user = await registerUser(server);
  // Every task gets the same created_at and updated_at, and titles, priorities and due dates repeat,
  // so only the id tie-breaker keeps the order total.
  rows = await server.dataSource.query(
    `INSERT INTO tasks (owner_id, title, priority, due_date, created_at, updated_at)
     SELECT $1,
            (ARRAY['alpha', 'Alpha', 'beta', 'Gamma', 'delta'])[1 + i % 5] || ' ' || (i % 7),
            (ARRAY['LOW', 'MEDIUM', 'HIGH'])[1 + i % 3]::task_priority,
            CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2030-01-01 00:00:00+00' + (i % 6) * interval '1 day' END,
            timestamptz '2026-01-01 12:00:00.123456+00',
            timestamptz '2026-01-01 12:00:00.123456+00'
       FROM generate_series(1, $2) AS i
     RETURNING id::text, title, priority::text, to_char(due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS due_date`,
    [user.id, TASK_COUNT],
  );
});

afterAll(async () => {
  await server.close();
});

const RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 };

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Computes the order the API promises, independently of the SQL. */
function expectedOrder(field: string, direction: 'ASC' | 'DESC'): string[] {
  const sign = direction === 'ASC' ? 1 : -1;
  const byKey = (a: Row, b: Row): number => {
    switch (field) {
      case 'PRIORITY':
        return RANK[a.priority] - RANK[b.priority];
      case 'TITLE':
        return compareText(a.title.toLowerCase(), b.title.toLowerCase());
      case 'DUE_DATE':
        return compareText(a.due_date!, b.due_date!);
      default:
        return 0;
    }
  };
  return [...rows]
    .sort((a, b) => {
      if (field === 'DUE_DATE' && (a.due_date === null) !== (b.due_date === null)) return a.due_date === null ? 1 : -1;
      const bothNull = field === 'DUE_DATE' && a.due_date === null;
      return sign * ((bothNull ? 0 : byKey(a, b)) || compareText(a.id, b.id));
    })
    .map((row) => row.id);
}

async function page(orderBy: object, first: number, after: string | null) {
  const response = await gql(
    server,
    `query($orderBy: TaskOrder, $first: Int, $after: String) {
       tasks(orderBy: $orderBy, first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
     }`,
    { orderBy, first, after },
    { token: user.accessToken },
  );
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.tasks;
}

async function readAll(orderBy: object, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const result = await page(orderBy, first, after);
    ids.push(...result.edges.map((edge: { node: { id: string } }) => edge.node.id));
    if (!result.pageInfo.hasNextPage) return ids;
    after = result.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('pagination over tasks with equal timestamps', () => {
  const orders = ['CREATED_AT', 'UPDATED_AT', 'DUE_DATE', 'PRIORITY', 'TITLE'].flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => [field, direction] as const),
  );

  it.each(orders)('reads every task once in %s %s order', async (field, direction) => {
    const ids = await readAll({ field, direction }, 37);

    expect(ids).toHaveLength(TASK_COUNT);
    expect(new Set(ids).size).toBe(TASK_COUNT);
    expect(ids).toEqual(expectedOrder(field, direction));
  });

  it('gives the same order whatever the page size', async () => {
    const small = await readAll({ field: 'TITLE', direction: 'ASC' }, 7);
    const large = await readAll({ field: 'TITLE', direction: 'ASC' }, 100);
    expect(small).toEqual(large);
  });

  it('reports no next page on the last page', async () => {
    const last = await page({ field: 'CREATED_AT', direction: 'ASC' }, 100, null);
    const third = await page({ field: 'CREATED_AT', direction: 'ASC' }, 100, (await page({}, 100, last.pageInfo.endCursor)).pageInfo.endCursor);
    expect(third.edges).toHaveLength(100);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });
});

describe('pagination while the list changes', () => {
  it('misses and repeats nothing when tasks are added and removed between pages', async () => {
    const other = await registerUser(server);
    const call = (query: string, variables: Record<string, unknown> = {}) => gql(server, query, variables, { token: other.accessToken });
    for (let i = 0; i < 30; i++) await call('mutation($t: String!) { createTask(input: { title: $t }) { id } }', { t: `task ${i}` });

    const read = async (after: string | null) =>
      (await call(`query($after: String) { tasks(first: 10, after: $after) { edges { node { id title } } pageInfo { hasNextPage endCursor } } }`, { after }))
        .data!.tasks;

    const first = await read(null);
    const seen: string[] = first.edges.map((edge: any) => edge.node.title);
    // Remove a task already read and one not yet read, and add one at the end.
    await call('mutation($id: ID!) { deleteTask(id: $id) }', { id: first.edges[3].node.id });
    const all = (await call('query { tasks(first: 100) { edges { node { id title } } } }')).data!.tasks.edges;
    const doomed = all.find((edge: any) => edge.node.title === 'task 20').node.id;
    await call('mutation($id: ID!) { deleteTask(id: $id) }', { id: doomed });
    await call('mutation { createTask(input: { title: "added later" }) { id } }');

    let after = first.pageInfo.endCursor;
    for (let pages = 0; pages < 10 && after; pages++) {
      const next = await read(after);
      seen.push(...next.edges.map((edge: any) => edge.node.title));
      after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    }

    const expected = [...Array.from({ length: 30 }, (_, i) => `task ${i}`).filter((title) => title !== 'task 20'), 'added later'];
    expect(seen).toEqual(expected);
  });
});
