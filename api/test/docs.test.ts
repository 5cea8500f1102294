import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gql, LOGIN, PASSWORD, registerUser, uniqueEmail } from './client';
import { startTestServer, type TestServer } from './test-server';

const GUIDE = path.resolve(__dirname, '..', '..', 'docs', 'api.md');
const BLOCK_TIMEOUT_MS = 30_000;

/** A ```sh block of the guide with the HTML comments right before it. */
interface ShellExample {
  line: number;
  heading: string;
  script: string;
  /** The code of `<!-- expect-error: CODE -->`: the example must fail with it. */
  expectedError?: string;
  /** `<!-- email: unregistered -->`: $EMAIL has no account yet, for the register example. */
  unregisteredEmail: boolean;
}

const ANNOTATION_PATTERN = /<!--\s*([a-z-]+)\s*:\s*([A-Za-z_-]+)\s*-->/g;

/** Finds every ```sh block and reads the annotation comments that directly precede it. */
function parseExamples(markdown: string): ShellExample[] {
  const examples: ShellExample[] = [];
  const blockPattern = /^```sh\n([\s\S]*?)^```$/gm;
  let previousEnd = 0;
  for (const match of markdown.matchAll(blockPattern)) {
    const before = markdown.slice(previousEnd, match.index);
    previousEnd = match.index + match[0].length;

    const comments = /((?:<!--[\s\S]*?-->\s*)+)$/.exec(before)?.[1] ?? '';
    const annotations = new Map([...comments.matchAll(ANNOTATION_PATTERN)].map(([, key, value]) => [key, value]));
    const headings = [...markdown.slice(0, match.index).matchAll(/^#+ (.+)$/gm)];

    examples.push({
      line: markdown.slice(0, match.index).split('\n').length,
      heading: headings.at(-1)?.[1] ?? '(no heading)',
      script: match[1],
      expectedError: annotations.get('expect-error'),
      unregisteredEmail: annotations.get('email') === 'unregistered',
    });
  }
  return examples;
}

const markdown = fs.readFileSync(GUIDE, 'utf8');
const examples = parseExamples(markdown);

let server: TestServer;
/** The examples' working and home folder, so that nothing they write or read lands in the repository or the user's home. */
let workDir: string;

beforeAll(async () => {
  server = await startTestServer();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-docs-'));
});

afterAll(async () => {
  await server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/**
 * Registers a new user for one example, so that an example that rotates or revokes tokens leaves
 * the others alone. The user has two tasks, a second session to revoke and a cursor after the first task.
 */
async function exampleEnvironment(example: ShellExample): Promise<Record<string, string>> {
  const user = await registerUser(server, uniqueEmail('docs'));
  const token = user.accessToken;

  const taskIds: string[] = [];
  for (const title of ['Buy milk', 'Call the bank']) {
    const created = await gql(server, 'mutation ($title: String!) { createTask(input: { title: $title }) { id } }', { title }, { token });
    if (!created.data) throw new Error(`createTask failed: ${JSON.stringify(created.errors)}`);
    taskIds.push(created.data.createTask.id);
  }

  const secondSignIn = await gql(server, LOGIN, { input: { email: user.email, password: PASSWORD, refreshTokenDelivery: 'BODY' } });
  if (!secondSignIn.data) throw new Error(`login failed: ${JSON.stringify(secondSignIn.errors)}`);
  const sessions = await gql(server, 'query { sessions { id current } }', {}, { token });
  const otherSession = sessions.data?.sessions.find((session: { current: boolean }) => !session.current);
  if (!otherSession) throw new Error(`no second session: ${JSON.stringify(sessions)}`);

  const firstPage = await gql(server, 'query { tasks(first: 1) { pageInfo { endCursor } } }', {}, { token });
  const cursor = firstPage.data?.tasks.pageInfo.endCursor;
  if (!cursor) throw new Error(`no cursor: ${JSON.stringify(firstPage)}`);

  return {
    // Only PATH, HOME and the example's variables reach curl, so proxy settings and ~/.curlrc cannot change where it connects.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    API: server.graphqlUrl,
    EMAIL: example.unregisteredEmail ? uniqueEmail('docs-new') : user.email,
    PASSWORD: user.password,
    TOKEN: token,
    REFRESH_TOKEN: user.refreshToken,
    TASK_ID: taskIds[0],
    SESSION_ID: otherSession.id,
    CURSOR: cursor,
  };
}

/**
 * Runs an example with `bash -e -u` and returns its stdout. Stdin is /dev/null, because bash
 * reads ~/.bashrc when stdin is a socket. Stderr goes to a file, which `curl -D /dev/stderr`
 * can open (a socket cannot be opened through /dev/stderr). After BLOCK_TIMEOUT_MS the
 * example's process group is killed, curl included.
 */
async function runExample(example: ShellExample, env: Record<string, string>): Promise<string> {
  const stderrPath = path.join(workDir, `stderr-${example.line}.txt`);
  const stderrFd = fs.openSync(stderrPath, 'w');
  let stdout = '';
  let timedOut = false;
  let exit: [number | null, NodeJS.Signals | null];
  try {
    const child = spawn('bash', ['-e', '-u', '-c', example.script], {
      env,
      cwd: workDir,
      stdio: ['ignore', 'pipe', stderrFd],
      detached: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, BLOCK_TIMEOUT_MS);
    // stdout is a pipe, so it is set, but the stdio typings cannot tell with a file descriptor in the list.
    const output = child.stdout!;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => (stdout += chunk));
    try {
      exit = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    } finally {
      clearTimeout(timer);
    }
  } finally {
    fs.closeSync(stderrFd);
  }

  const [code, signal] = exit;
  if (code !== 0) {
    const stderr = fs.readFileSync(stderrPath, 'utf8');
    const reason = timedOut ? `timed out after ${BLOCK_TIMEOUT_MS} ms` : `exit ${code ?? signal}`;
    throw new Error(`example at line ${example.line} failed (${reason}):\n${stderr}\n${stdout}`);
  }
  return stdout;
}

describe('docs/api.md', () => {
  it('has shell examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it('attaches every annotation to an example', () => {
    const annotations = [...markdown.matchAll(ANNOTATION_PATTERN)].length;
    const attached = examples.filter((example) => example.expectedError).length + examples.filter((example) => example.unregisteredEmail).length;
    expect(attached).toBe(annotations);
  });

  it.each(examples.map((example): [number, string, ShellExample] => [example.line, example.heading, example]))(
    'example at line %d (%s)',
    async (_line, _heading, example) => {
      // Examples talk only to the test server, through $API.
      expect(example.script).not.toMatch(/https?:\/\//);
      expect(example.script).toContain('"$API"');

      const stdout = await runExample(example, await exampleEnvironment(example));
      let body: { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      try {
        body = JSON.parse(stdout);
      } catch {
        throw new Error(`example at line ${example.line} printed no JSON:\n${stdout}`);
      }

      if (example.expectedError) {
        expect(body.errors?.[0]?.extensions?.code).toBe(example.expectedError);
      } else {
        expect(body.errors).toBeUndefined();
        expect(body.data).toBeDefined();
        expect(body.data).not.toBeNull();
      }
    },
  );
});
