import { describe, expect, it } from 'vitest';
import { createApolloClient } from '../apollo/createApolloClient';
import { GraphQLRequestError } from '../apollo/errors';
import { TASK_COUNTS_QUERY, TASKS_QUERY } from '../tasks/taskOperations';
import { controlledRefresh, createTabChannels, payloadFor } from '../test/fakeSession';
import { FakeTaskServer } from '../test/fakeTaskServer';
import { SessionEndedError } from './refreshRequest';
import { SessionManager } from './SessionManager';

const LIST_VARIABLES = {
  filter: { status: 'ALL' as const },
  orderBy: { field: 'CREATED_AT' as const, direction: 'ASC' as const },
  first: 50,
};

async function signedInSession(token: string, refresh: ReturnType<typeof controlledRefresh>['refresh']) {
  const session = new SessionManager({ refresh });
  await session.signIn(payloadFor(token));
  return session;
}

function flush() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('restoring at page load', () => {
  it('signs in from the refresh cookie', async () => {
    const control = controlledRefresh();
    const session = new SessionManager({ refresh: control.refresh });

    const restoring = session.restore();
    expect(session.getState()).toEqual({ status: 'restoring' });
    control.succeed(payloadFor('token-1'));
    await restoring;

    expect(session.getState()).toEqual({ status: 'signed-in', user: payloadFor('token-1').user });
    expect(session.getAccessToken()).toBe('token-1');
  });

  it('shows the sign-in screen without a session', async () => {
    const control = controlledRefresh();
    const session = new SessionManager({ refresh: control.refresh });

    const restoring = session.restore();
    control.fail(new SessionEndedError(new Error('no cookie')));
    await restoring;

    expect(session.getState()).toEqual({ status: 'signed-out' });
  });

  it('reports an unreachable server', async () => {
    const control = controlledRefresh();
    const session = new SessionManager({ refresh: control.refresh });

    const restoring = session.restore();
    control.fail(new TypeError('Failed to fetch'));
    await restoring;

    expect(session.getState().status).toBe('unreachable');
  });
});

describe('renewing an expired access token', () => {
  it('renews once for simultaneous failures', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('expired-token', control.refresh);
    const server = new FakeTaskServer();
    server.addTask('survives renewal');
    server.validTokens = new Set(['fresh-token']);
    const client = createApolloClient(session, server.link());

    const results = Promise.all([
      client.query({ query: TASKS_QUERY, variables: LIST_VARIABLES, fetchPolicy: 'network-only' }),
      client.query({ query: TASK_COUNTS_QUERY, fetchPolicy: 'network-only' }),
      client.query({
        query: TASKS_QUERY,
        variables: { ...LIST_VARIABLES, filter: { status: 'ACTIVE' as const } },
        fetchPolicy: 'network-only',
      }),
    ]);
    await flush();
    expect(control.refresh).toHaveBeenCalledTimes(1);

    control.succeed(payloadFor('fresh-token'));
    const [all, counts, active] = await results;

    expect(control.refresh).toHaveBeenCalledTimes(1);
    expect(all.data?.tasks.edges.map((edge) => edge.node.title)).toEqual(['survives renewal']);
    expect(counts.data?.taskCounts.all).toBe(1);
    expect(active.data?.tasks.edges).toHaveLength(1);
    const retried = server.requests.filter((request) => request.authorization === 'Bearer fresh-token');
    expect(retried).toHaveLength(3);
  });

  it('retries without renewing when the token was renewed meanwhile', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('old-token', control.refresh);

    const first = session.renewAccessToken('old-token');
    control.succeed(payloadFor('new-token'));
    await first;

    // A request sent with the old token fails after the renewal finished.
    await expect(session.renewAccessToken('old-token')).resolves.toBe('new-token');
    expect(control.refresh).toHaveBeenCalledTimes(1);
  });

  it('retries a request only once', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('expired-token', control.refresh);
    const server = new FakeTaskServer();
    server.validTokens = new Set();
    const client = createApolloClient(session, server.link());

    const result = client.query({ query: TASK_COUNTS_QUERY, fetchPolicy: 'network-only' });
    await flush();
    control.succeed(payloadFor('also-rejected'));

    await expect(result).rejects.toThrow('Access token expired');
    expect(control.refresh).toHaveBeenCalledTimes(1);
    expect(server.requestsOf('TaskCounts')).toHaveLength(2);
  });

  it('ends the session when the refresh token is rejected', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('expired-token', control.refresh);

    const renewal = session.renewAccessToken('expired-token');
    control.fail(new SessionEndedError(new GraphQLRequestError('Invalid refresh token', [])));

    await expect(renewal).rejects.toBeInstanceOf(SessionEndedError);
    expect(session.getState()).toEqual({ status: 'signed-out', reason: 'expired' });
    expect(session.getAccessToken()).toBeNull();
  });

  it('keeps the session when the refresh fails for another reason', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('expired-token', control.refresh);

    const renewal = session.renewAccessToken('expired-token');
    control.fail(new TypeError('Failed to fetch'));

    await expect(renewal).rejects.toBeInstanceOf(TypeError);
    expect(session.getState().status).toBe('signed-in');
  });

  it('does not sign back in with a renewal that ends after sign-out', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('expired-token', control.refresh);

    const renewal = session.renewAccessToken('expired-token');
    session.signOut();
    control.succeed(payloadFor('late-token'));
    await renewal;

    expect(session.getState()).toEqual({ status: 'signed-out' });
    expect(session.getAccessToken()).toBeNull();
  });
});

describe('tabs of one browser', () => {
  it('signs out the other tabs, with no token in the message', async () => {
    const { channels, sent } = createTabChannels(2);
    const tabA = new SessionManager({ refresh: controlledRefresh().refresh, channel: channels[0] });
    const tabB = new SessionManager({ refresh: controlledRefresh().refresh, channel: channels[1] });
    await tabA.signIn(payloadFor('token-a'));
    await flush();
    await tabB.signIn(payloadFor('token-b'));
    await flush();

    tabA.signOut();
    await flush();

    expect(tabB.getState()).toEqual({ status: 'signed-out', reason: 'signed-out-elsewhere' });
    expect(tabB.getAccessToken()).toBeNull();
    expect(JSON.stringify(sent)).not.toMatch(/token/);
  });

  it('adopts another tab’s sign-in', async () => {
    const { channels } = createTabChannels(2);
    const refreshB = controlledRefresh();
    const tabA = new SessionManager({ refresh: controlledRefresh().refresh, channel: channels[0] });
    const tabB = new SessionManager({ refresh: refreshB.refresh, channel: channels[1] });
    const restoringB = tabB.restore();
    refreshB.fail(new SessionEndedError(new Error('no cookie')));
    await restoringB;

    await tabA.signIn(payloadFor('token-a'));
    await flush();
    expect(refreshB.refresh).toHaveBeenCalledTimes(2);
    refreshB.succeed(payloadFor('token-b'));
    await flush();

    expect(tabB.getState()).toEqual({ status: 'signed-in', user: payloadFor('x').user });
  });

  it('keeps the user when a password change replaces the tokens', async () => {
    const { channels, sent } = createTabChannels(2);
    const session = new SessionManager({ refresh: controlledRefresh().refresh, channel: channels[0] });
    await session.signIn(payloadFor('token-before'));
    await flush();
    sent.length = 0;
    let userChanges = 0;
    session.onUserChange(() => {
      userChanges += 1;
    });
    const states: string[] = [];
    session.subscribe(() => states.push(session.getState().status));

    await session.replaceTokens(payloadFor('token-after'));

    expect(session.getAccessToken()).toBe('token-after');
    expect(session.getState()).toEqual({ status: 'signed-in', user: payloadFor('x').user });
    expect(userChanges).toBe(0);
    expect(states).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('ignores a renewal that started before the tokens were replaced', async () => {
    const control = controlledRefresh();
    const session = await signedInSession('token-before', control.refresh);

    const renewal = session.renewAccessToken('token-before');
    await session.replaceTokens(payloadFor('token-after'));
    control.fail(new SessionEndedError(new GraphQLRequestError('Invalid refresh token', [])));

    await expect(renewal).rejects.toBeInstanceOf(SessionEndedError);
    expect(session.getState().status).toBe('signed-in');
    expect(session.getAccessToken()).toBe('token-after');
  });

  it('clears the cache before showing another user', async () => {
    const control = controlledRefresh();
    const session = new SessionManager({ refresh: control.refresh });
    const events: string[] = [];
    session.subscribe(() => events.push(session.getState().status));
    session.onUserChange(async () => {
      events.push('cache cleared');
    });

    await session.signIn(payloadFor('token-1', 'user-1', 'one@example.com'));
    await session.signIn(payloadFor('token-2', 'user-2', 'two@example.com'));

    expect(events).toEqual(['cache cleared', 'signed-in', 'restoring', 'cache cleared', 'signed-in']);
  });
});
