import { serverAudits, type Audit, type AuditResult } from 'graphql-http';
import { gql, registerUser, type TestUser } from './client';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

// The URL is a function because the server starts in beforeAll, after the tests are collected.
const audits = serverAudits({ url: () => server.graphqlUrl, fetchFn: fetch });
const mustAudits = audits.filter((audit) => audit.name.startsWith('MUST'));
const optionalAudits = audits.filter((audit) => !audit.name.startsWith('MUST'));

/** Collects a failed audit's reason and the server's response for the failure message. Returns undefined for a passed audit. */
async function describeFailure(result: AuditResult): Promise<Record<string, unknown> | undefined> {
  if (result.status === 'ok') return undefined;
  let body: string;
  try {
    body = (await result.response.text()).slice(0, 500);
  } catch {
    body = '(the audit already read the body)';
  }
  return {
    status: result.status,
    reason: result.reason,
    responseStatus: result.response.status,
    contentType: result.response.headers.get('content-type'),
    body,
  };
}

describe('GraphQL over HTTP audits (graphql-http)', () => {
  it('include MUST, SHOULD and MAY audits', () => {
    expect(mustAudits.length).toBeGreaterThan(0);
    expect(optionalAudits.length).toBeGreaterThan(0);
    for (const audit of audits) expect(audit.name).toMatch(/^(MUST|SHOULD|MAY) /);
  });

  it.each(mustAudits.map((audit): [string, string, Audit] => [audit.id, audit.name, audit]))('%s %s', async (_id, _name, audit) => {
    const result = await audit.fn();
    expect(await describeFailure(result)).toBeUndefined();
  });

  it('report the SHOULD and MAY results', async () => {
    const rows: string[] = [];
    for (const audit of optionalAudits) {
      const result = await audit.fn();
      if (result.status === 'ok') {
        rows.push(`pass  ${audit.id}  ${audit.name}`);
        continue;
      }
      // graphql-http reports a failed SHOULD as "warn" and a failed MAY as "notice".
      const outcome = result.status === 'warn' ? 'warn' : 'fail';
      rows.push(`${outcome}  ${audit.id}  ${audit.name}: ${result.reason} (HTTP ${result.response.status})`);
    }
    console.log(`GraphQL over HTTP audits, SHOULD and MAY:\n${rows.join('\n')}`);
    expect(rows).toHaveLength(optionalAudits.length);
  });
});

describe('GET requests', () => {
  let user: TestUser;
  let taskId: string;

  beforeAll(async () => {
    user = await registerUser(server);
    const created = await gql(server, 'mutation { createTask(input: { title: "Done already" }) { id } }', {}, { token: user.accessToken });
    taskId = created.data!.createTask.id;
    const completed = await gql(
      server,
      'mutation ($id: ID!) { updateTask(id: $id, input: { completed: true }) { completed } }',
      { id: taskId },
      { token: user.accessToken },
    );
    expect(completed.data!.updateTask.completed).toBe(true);
  });

  function getRequest(query: string): Promise<Response> {
    const url = new URL(server.graphqlUrl);
    url.searchParams.set('query', query);
    return fetch(url, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${user.accessToken}` } });
  }

  it('run a query', async () => {
    const response = await getRequest('{ taskCounts { completed } }');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { taskCounts: { completed: number } } };
    expect(body.data?.taskCounts.completed).toBe(1);
  });

  it('never run a mutation', async () => {
    const response = await getRequest('mutation { clearCompletedTasks }');
    expect(response.status).toBe(405);
    await response.body?.cancel();

    const task = await gql(server, 'query ($id: ID!) { task(id: $id) { id completed } }', { id: taskId }, { token: user.accessToken });
    expect(task.data!.task).toEqual({ id: taskId, completed: true });
  });
});
