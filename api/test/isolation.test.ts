import { errorCode, gql, registerUser, type TestUser } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let aliceTaskIds: string[];

const SNAPSHOT = `query {
  tasks(first: 100) { totalCount edges { node { id title description completed completedAt priority dueDate updatedAt owner { id } } } }
  taskCounts { all active completed }
}`;

function as(user: TestUser, query: string, variables: Record<string, unknown> = {}) {
  return gql(server, query, variables, { token: user.accessToken });
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await registerUser(server);
  bob = await registerUser(server);
  aliceTaskIds = [];
  for (const title of ['private one', 'private two', 'private three']) {
    const response = await as(alice, 'mutation($t: String!) { createTask(input: { title: $t, description: "secret" }) { id } }', { t: title });
    aliceTaskIds.push(response.data!.createTask.id);
  }
  await as(alice, 'mutation($id: ID!) { updateTask(id: $id, input: { completed: true }) { id } }', { id: aliceTaskIds[0] });
  await as(bob, 'mutation { createTask(input: { title: "bob’s own" }) { id } }');
});

afterAll(async () => {
  await server.close();
});

describe('another user’s tasks', () => {
  it('are invisible, unchangeable and uncounted for every operation', async () => {
    const before = (await as(alice, SNAPSHOT)).data;
    const bobBefore = (await as(bob, SNAPSHOT)).data!;

    for (const id of aliceTaskIds) {
      const read = await as(bob, 'query($id: ID!) { task(id: $id) { id title } }', { id });
      expect(read.data!.task).toBeNull();
      expect(read.errors).toBeUndefined();

      const update = await as(bob, 'mutation($id: ID!) { updateTask(id: $id, input: { title: "hacked", completed: true }) { id } }', { id });
      expect(errorCode(update)).toBe('NOT_FOUND');
      expect(update.errors![0].message).toBe('Task not found');

      const remove = await as(bob, 'mutation($id: ID!) { deleteTask(id: $id) }', { id });
      expect(errorCode(remove)).toBe('NOT_FOUND');
      expect(remove.errors![0].message).toBe('Task not found');
    }

    // A missing id gets exactly the same responses.
    const missing = '00000000-0000-4000-8000-000000000000';
    const missingUpdate = await as(bob, 'mutation($id: ID!) { updateTask(id: $id, input: { title: "x" }) { id } }', { id: missing });
    expect(missingUpdate.errors![0]).toEqual({
      ...missingUpdate.errors![0],
      message: 'Task not found',
      extensions: { code: 'NOT_FOUND' },
    });

    expect((await as(bob, 'mutation { setAllTasksCompleted(completed: true) }')).data!.setAllTasksCompleted).toBe(1);
    expect((await as(bob, 'mutation { setAllTasksCompleted(completed: false) }')).data!.setAllTasksCompleted).toBe(1);
    expect((await as(bob, 'mutation { clearCompletedTasks }')).data!.clearCompletedTasks).toBe(0);

    const search = await as(bob, 'query { tasks(filter: { search: "private" }) { totalCount edges { node { id } } } }');
    expect(search.data!.tasks.totalCount).toBe(0);

    const bobAfter = (await as(bob, SNAPSHOT)).data!;
    expect(bobAfter.taskCounts).toEqual(bobBefore.taskCounts);
    expect(bobAfter.tasks.edges.map((edge: any) => edge.node.owner.id)).toEqual([bob.id]);
    expect((await as(alice, SNAPSHOT)).data).toEqual(before);
  });

  it('keep their owner when an update names another one', async () => {
    const response = await as(bob, 'mutation($id: ID!) { updateTask(id: $id, input: { ownerId: "x" }) { id } }', { id: aliceTaskIds[1] });
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('do not leak through the cursor of another user', async () => {
    const alicePage = (await as(alice, 'query { tasks(first: 1) { pageInfo { endCursor } } }')).data!.tasks;
    const bobPage = await as(bob, 'query($after: String) { tasks(after: $after) { edges { node { id } } } }', {
      after: alicePage.pageInfo.endCursor,
    });
    const ids = bobPage.data!.tasks.edges.map((edge: any) => edge.node.id);
    for (const id of ids) expect(aliceTaskIds).not.toContain(id);
  });
});
