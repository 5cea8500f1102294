import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gql, LOGIN, PASSWORD, REGISTER, uniqueEmail } from './client';
import { runApiProcessToExit, startApiProcess, type ApiProcess } from './api-process';
import { createTestDatabase, TEST_SECRET } from './test-server';

// Against DATABASE_URL when the run has one, otherwise the embedded server in a folder of this test's own.
const external = Boolean(process.env.DATABASE_URL);
let environment: Record<string, string>;
let dataDir: string;
let dropDatabase: (() => Promise<void>) | undefined;
const started: ApiProcess[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-restart-'));
  environment = { DATA_DIR: dataDir, BCRYPT_COST: '4' };
  if (external) {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    environment = { ...environment, DATABASE_URL: database.url, BETTER_AUTH_SECRET: TEST_SECRET };
  }
});

afterAll(async () => {
  for (const api of started) {
    if (api.child.exitCode === null && api.child.signalCode === null) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }
  await dropDatabase?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function start(): Promise<ApiProcess> {
  const api = await startApiProcess(environment);
  started.push(api);
  return api;
}

describe('the API process', () => {
  it('keeps data across a killed process and a clean stop', async () => {
    const email = uniqueEmail('restart');
    const first = await start();
    const registered = await gql(first, REGISTER, { input: { email, password: PASSWORD, refreshTokenDelivery: 'BODY' } });
    expect(registered.errors).toBeUndefined();
    const token = registered.data!.register.accessToken;
    await gql(first, 'mutation { createTask(input: { title: "survives restarts" }) { id } }', {}, { token });

    // SIGKILL: no cleanup runs, and an embedded PostgreSQL server is left behind.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start();
    // The same secret signs tokens after a restart, so a token from before still works.
    const tasks = await gql(second, 'query { tasks { edges { node { title } } } }', {}, { token });
    expect(tasks.data!.tasks.edges).toEqual([{ node: { title: 'survives restarts' } }]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const third = await start();
    const login = await gql(third, LOGIN, { input: { email, password: PASSWORD } });
    expect(login.errors).toBeUndefined();
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  });

  (external ? it.skip : it)('keeps the generated secret and database password readable by the owner only', async () => {
    for (const name of ['auth-secret', 'postgres-password']) {
      const mode = fs.statSync(path.join(dataDir, name)).mode & 0o777;
      expect({ name, mode: mode.toString(8) }).toEqual({ name, mode: '600' });
    }
  });

  (external ? it.skip : it)('refuses a second live process on the same data folder', async () => {
    const owner = await start();
    const second = await runApiProcessToExit(environment);

    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/Another API process/);
    const stillServing = await gql(owner, '{ __typename }');
    expect(stillServing.data).toEqual({ __typename: 'Query' });

    owner.child.kill('SIGTERM');
    expect(await owner.exited).toBe(0);
  });

  it('stops with a message naming an invalid variable', async () => {
    const result = await runApiProcessToExit({ ...environment, PORT: 'not-a-port' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT: expected a whole number from 0 to 65535');
  });
});
