import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_MESSAGE } from '../passwords/passwordStrength';
import { createTabChannels, payloadFor } from '../test/fakeSession';
import { FakeTaskServer, graphQLError } from '../test/fakeTaskServer';
import { ALICE, renderApp } from '../test/renderApp';

const CHROME_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function sessionRow(id: string, userAgent: string | null, current: boolean) {
  return {
    __typename: 'Session',
    id,
    createdAt: '2026-01-01T09:00:00Z',
    lastUsedAt: '2026-01-01T10:00:00Z',
    userAgent,
    // An address of the documentation range (RFC 5737).
    ip: '192.0.2.10',
    current,
  };
}

/** Renders the app signed in as Alice on the account page, with two sessions on the fake server. */
function setUp(options: { channel?: Parameters<typeof renderApp>[0]['channel'] } = {}) {
  window.location.hash = '#/account';
  const server = new FakeTaskServer();
  let sessions = [sessionRow('session-here', CHROME_ON_LINUX, true), sessionRow('session-phone', SAFARI_ON_IPHONE, false)];
  server.handlers.Sessions = () => ({ data: { sessions } });
  server.handlers.RevokeSession = ({ id }) => {
    const before = sessions.length;
    sessions = sessions.filter((row) => row.id !== id);
    return sessions.length === before ? graphQLError('NOT_FOUND', 'Session not found') : { data: { revokeSession: true } };
  };
  const app = renderApp({ server, signedInAs: ALICE, channel: options.channel });
  return {
    server,
    ...app,
    endOtherSessions() {
      sessions = sessions.filter((row) => row.current);
    },
  };
}

function sessionItem(name: string): HTMLElement {
  const element = screen.getAllByTestId('session-item').find((li) => within(li).queryByText(name));
  if (!element) throw new Error(`No session named "${name}" is shown.`);
  return element;
}

async function fillInPasswordChange(
  user: ReturnType<typeof setUp>['user'],
  current: string,
  next: string,
  repeated = next,
) {
  if (current) await user.type(screen.getByLabelText('Current password'), current);
  if (next) await user.type(screen.getByLabelText('New password'), next);
  if (repeated) await user.type(screen.getByLabelText('Repeat new password'), repeated);
}

describe('account page', () => {
  it('opens from the account link and goes back to the tasks', async () => {
    const server = new FakeTaskServer();
    server.addTask('buy milk');
    server.handlers.Sessions = () => ({ data: { sessions: [sessionRow('session-here', CHROME_ON_LINUX, true)] } });
    const { user } = renderApp({ server, signedInAs: ALICE });
    await screen.findByText('buy milk');

    await user.click(screen.getByRole('link', { name: 'Account' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Account' })).toHaveFocus();
    expect(window.location.hash).toBe('#/account');
    expect(screen.getByRole('link', { name: 'Account' })).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('link', { name: '← Back to your tasks' }));
    expect(await screen.findByText('buy milk')).toBeInTheDocument();
  });
});

describe('account page sign-out', () => {
  it('returns to the task list at the next sign-in', async () => {
    const { user, server } = setUp();
    server.handlers.Logout = () => ({ data: { logout: true } });
    await screen.findByText('Safari on iOS');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/');
  });
});

describe('sessions list', () => {
  it('marks the current session and offers revoking', async () => {
    setUp();
    await screen.findByText('Safari on iOS');

    const currentItem = screen.getAllByTestId('session-item').find((li) => li.dataset.current === 'true');
    if (!currentItem) throw new Error('No session is marked as the current one.');
    expect(currentItem).toHaveTextContent('Chrome on Linux (this browser)');
    expect(currentItem).toHaveTextContent('IP address 192.0.2.10');
    expect(within(currentItem).getByRole('button', { name: 'Revoke and sign out' })).toBeInTheDocument();
    const phone = sessionItem('Safari on iOS');
    expect(phone).not.toHaveTextContent('this browser');
    expect(within(phone).getByRole('button', { name: 'Revoke' })).toHaveAccessibleDescription(/Safari on iOS/);
  });

  it('revokes another session', async () => {
    const { user, server } = setUp();
    await screen.findByText('Safari on iOS');

    await user.click(within(sessionItem('Safari on iOS')).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(screen.queryByText('Safari on iOS')).not.toBeInTheDocument());
    expect(server.requestsOf('RevokeSession')[0].variables).toEqual({ id: 'session-phone' });
    expect(await screen.findByText('Revoked the session of Safari on iOS.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Signed-in sessions' })).toHaveFocus();
    expect(screen.getAllByTestId('session-item')).toHaveLength(1);
  });

  it('removes a session that had already ended', async () => {
    const { user, server, endOtherSessions } = setUp();
    await screen.findByText('Safari on iOS');
    endOtherSessions();

    await user.click(within(sessionItem('Safari on iOS')).getByRole('button', { name: 'Revoke' }));

    expect(await screen.findByText('The session of Safari on iOS had already ended.')).toBeInTheDocument();
    expect(screen.queryByText('Safari on iOS')).not.toBeInTheDocument();
    expect(server.requestsOf('RevokeSession')).toHaveLength(1);
  });

  it('signs out when revoking the current session', async () => {
    const { user } = setUp();
    await screen.findByText('Safari on iOS');

    await user.click(screen.getByRole('button', { name: 'Revoke and sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/');
  });

  it('shows a failed load with a retry', async () => {
    const { user, server } = setUp();
    server.failNext('Sessions', graphQLError('INTERNAL_SERVER_ERROR'));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your sessions.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Safari on iOS')).toBeInTheDocument();
  });
});

describe('change password form', () => {
  it('checks the fields before sending', async () => {
    const { user, server } = setUp();
    await screen.findByLabelText('Current password');

    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(screen.getByText('Enter your current password.')).toBeInTheDocument();
    expect(screen.getByText('Enter a new password.')).toBeInTheDocument();
    expect(screen.getByLabelText('Current password')).toHaveFocus();

    await fillInPasswordChange(user, 'old secret', 'short', 'short');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'a much longer one');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('The two new passwords differ. Type the same password twice.')).toBeInTheDocument();
    expect(screen.getByLabelText('Repeat new password')).toHaveFocus();
    expect(server.requestsOf('ChangePassword')).toHaveLength(0);
  });

  it('shows a wrong current password on its field', async () => {
    const { user, server } = setUp();
    server.handlers.ChangePassword = () =>
      graphQLError('BAD_USER_INPUT', 'Password is incorrect', { field: 'currentPassword' });
    await screen.findByLabelText('Current password');

    await fillInPasswordChange(user, 'not the password', 'violet meadow lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByText('Password is incorrect')).toBeInTheDocument();
    expect(screen.getByLabelText('Current password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Current password')).toHaveFocus();
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Password is incorrect');
  });

  it('shows a policy error on the new password', async () => {
    const { user, server } = setUp();
    server.handlers.ChangePassword = () =>
      graphQLError(
        'BAD_USER_INPUT',
        'This password is in a list of commonly used passwords; choose another',
        { field: 'newPassword' },
      );
    await screen.findByLabelText('Current password');

    await fillInPasswordChange(user, 'old secret', 'violet meadow lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(
      await screen.findByText('This password is in a list of commonly used passwords; choose another'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('New password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('New password')).toHaveFocus();
  });

  it('shows the wait of a rate limit and disables the button', async () => {
    const { user, server } = setUp();
    server.handlers.ChangePassword = () =>
      graphQLError('RATE_LIMITED', 'Too many attempts; try again in 600 s', { retryAfterSeconds: 600 });
    await screen.findByLabelText('Current password');

    await fillInPasswordChange(user, 'old secret', 'violet meadow lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 10 minutes.');
    expect(screen.getByRole('button', { name: 'Change password' })).toBeDisabled();
  });

  it('warns about a common password before sending', async () => {
    const { user, server } = setUp();
    await screen.findByLabelText('Current password');

    await fillInPasswordChange(user, 'old secret', 'iloveyou');

    expect(await screen.findByText(COMMON_PASSWORD_MESSAGE)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByLabelText('New password')).toHaveFocus();
    expect(server.requestsOf('ChangePassword')).toHaveLength(0);
  });

  it('shows the strength of the new password', async () => {
    const { user } = setUp();
    await screen.findByLabelText('Current password');

    await user.type(screen.getByLabelText('New password'), 'violet meadow lantern 42');

    const meter = await screen.findByRole('meter', { name: 'Password strength' });
    expect(meter).toHaveAttribute('aria-valuetext', 'Very strong');
    expect(screen.getByText('Strength: Very strong')).toBeInTheDocument();
  });

  it('changes the password and uses the new access token', async () => {
    const { user, server, endOtherSessions } = setUp();
    server.handlers.ChangePassword = () => {
      endOtherSessions();
      return { data: { changePassword: payloadFor('token-after-change') } };
    };
    await screen.findByText('Safari on iOS');

    await fillInPasswordChange(user, 'old secret', 'violet meadow lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(
      await screen.findByText('Your password has been changed. Every other session has been signed out.'),
    ).toBeInTheDocument();
    expect(server.requestsOf('ChangePassword')[0].variables).toEqual({
      currentPassword: 'old secret',
      newPassword: 'violet meadow lantern',
    });
    await waitFor(() => expect(screen.queryByText('Safari on iOS')).not.toBeInTheDocument());
    const refetch = server.requestsOf('Sessions').at(-1);
    expect(refetch?.authorization).toBe('Bearer token-after-change');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    expect(screen.getByLabelText('New password')).toHaveValue('');
  });
});

describe('sign out everywhere', () => {
  it('ends every session and signs out the other tabs', async () => {
    const { channels, sent } = createTabChannels(2);
    const { user, server } = setUp({ channel: channels[0] });
    server.handlers.LogoutAllSessions = () => ({ data: { logoutAllSessions: true } });
    await screen.findByText('Safari on iOS');

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(server.requestsOf('LogoutAllSessions')[0].authorization).toBe(`Bearer ${ALICE.accessToken}`);
    expect(sent).toContainEqual({ type: 'signed-out' });
  });

  it('reports a failure and stays signed in', async () => {
    const { user, server } = setUp();
    server.handlers.LogoutAllSessions = () => graphQLError('INTERNAL_SERVER_ERROR');
    await screen.findByText('Safari on iOS');

    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not sign out everywhere: The server failed to complete the request. Try again later.',
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
  });
});

describe('delete account', () => {
  async function openConfirmation(user: ReturnType<typeof setUp>['user']) {
    await user.click(await screen.findByRole('button', { name: 'Delete account…' }));
    expect(screen.getByLabelText('Type your password to confirm')).toHaveFocus();
  }

  it('asks for the password and can be cancelled', async () => {
    const { user, server } = setUp();
    await openConfirmation(user);

    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(screen.getByText('Enter your password to confirm.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Type your password to confirm')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete account…' })).toHaveFocus();

    await openConfirmation(user);
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Delete account…' })).toHaveFocus();
    expect(server.requestsOf('DeleteAccount')).toHaveLength(0);
  });

  it('shows a wrong password on its field', async () => {
    const { user, server } = setUp();
    server.handlers.DeleteAccount = () => graphQLError('BAD_USER_INPUT', 'Password is incorrect', { field: 'password' });
    await openConfirmation(user);

    await user.type(screen.getByLabelText('Type your password to confirm'), 'not it');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByText('Password is incorrect')).toBeInTheDocument();
    expect(screen.getByLabelText('Type your password to confirm')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('heading', { level: 1, name: 'Account' })).toBeInTheDocument();
  });

  it('shows the wait of a rate limit', async () => {
    const { user, server } = setUp();
    server.handlers.DeleteAccount = () =>
      graphQLError('RATE_LIMITED', 'Too many attempts; try again in 42 s', { retryAfterSeconds: 42 });
    await openConfirmation(user);

    await user.type(screen.getByLabelText('Type your password to confirm'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 42 seconds.');
    expect(screen.getByRole('button', { name: 'Delete my account' })).toBeDisabled();
  });

  it('deletes the account and clears the cache', async () => {
    const { user, server, client } = setUp();
    server.handlers.DeleteAccount = () => ({ data: { deleteAccount: true } });
    await screen.findByText('Safari on iOS');
    await openConfirmation(user);

    await user.type(screen.getByLabelText('Type your password to confirm'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('Your account and its tasks have been deleted.')).toBeInTheDocument();
    expect(server.requestsOf('DeleteAccount')[0].variables).toEqual({ password: 'correct horse' });
    await waitFor(() => expect(client.cache.extract()).toEqual({}));
    expect(window.location.hash).toBe('#/');
  });
});

describe('account page and other tabs', () => {
  it('shows the sign-in screen when another tab signs out', async () => {
    const { channels } = createTabChannels(2);
    setUp({ channel: channels[0] });
    await screen.findByText('Safari on iOS');

    act(() => channels[1].post({ type: 'signed-out' }));

    expect(await screen.findByText('You signed out in another tab.')).toBeInTheDocument();
    expect(screen.queryByText('Safari on iOS')).not.toBeInTheDocument();
  });
});
