// Sends one request of each operation before a server is measured and checks its response, so
// that a fast server that returns the wrong data (or errors) cannot pass as a result.
import { graphqlRequest } from './processes.mjs';
import { DOCUMENTS, seededUser, signAccessToken } from './workloads.mjs';

function fail(server, operation, detail) {
  throw new Error(`${server}: ${operation} returned an unexpected response: ${detail}`);
}

/** Sends tasks, counts, create, update and delete as user `n` and checks each response. Returns the task count seen. */
export async function checkServer(server, url, dialect, n, { tasksPerUser }) {
  const user = seededUser(n);
  const token = signAccessToken(user);
  const documents = DOCUMENTS[dialect];
  const call = async (operation, variables) => {
    const { status, body, text } = await graphqlRequest(url, documents[operation](), { token, variables });
    if (status !== 200 || !body || body.errors) fail(server, operation, `${status} ${text.slice(0, 300)}`);
    return body.data;
  };

  const tasks = await call('tasks');
  const connection = tasks.tasks ?? tasks.allTasks;
  const expected = Math.min(20, tasksPerUser);
  if (connection.edges.length !== expected) fail(server, 'tasks', `${connection.edges.length} edges, expected ${expected}`);
  if (connection.edges.some((edge) => edge.node.owner.id !== user.userId)) fail(server, 'tasks', 'a task of another owner');
  if (connection.edges[0].node.id !== user.firstTaskId) fail(server, 'tasks', 'the first task is not the oldest');

  const counts = await call('counts');
  const all = counts.taskCounts?.all ?? counts.all?.totalCount;
  if (all < tasksPerUser - 5) fail(server, 'counts', `all = ${all}, expected about ${tasksPerUser}`);

  const created = await call('create', { title: 'bench check', ownerId: user.userId });
  const task = created.createTask.task ?? created.createTask;
  const updated = await call('update', { id: task.id, completed: true });
  if (!(updated.updateTask ?? updated.updateTaskById.task).completed) fail(server, 'update', 'completed is still false');
  await call('delete', { id: task.id });
  return all;
}
