import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SessionEndedError } from './session/refreshRequest';
import { controlledRefresh, createTabChannels, payloadFor } from './test/fakeSession';
import { FakeTaskServer } from './test/fakeTaskServer';
import { ALICE, renderApp } from './test/renderApp';

function loginAnswer(token: string) {
  return () => ({ data: { login: payloadFor(token) } });
}

describe('session in the app', () => {
  it('restores the session at page load', async () => {
    const server = new FakeTaskServer();
    server.addTask('from yesterday');
    const control = controlledRefresh();
    renderApp({ server, refresh: control.refresh });

    expect(screen.getByText('Loading…')).toBeInTheDocument();
    control.succeed(payloadFor('restored-token'));

    expect(await screen.findByText('from yesterday')).toBeInTheDocument();
    expect(server.requestsOf('Tasks')[0].authorization).toBe('Bearer restored-token');
  });

  it('offers a retry when the server is unreachable at page load', async () => {
    const server = new FakeTaskServer();
    const control = controlledRefresh();
    const { user } = renderApp({ server, refresh: control.refresh });

    control.fail(new TypeError('Failed to fetch'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the server');

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    control.succeed(payloadFor('token'));
    expect(await screen.findByText('alice@example.com')).toBeInTheDocument();
  });

  it('keeps the new-task text when the session ends', async () => {
    const server = new FakeTaskServer();
    server.addTask('existing');
    server.validTokens = new Set([ALICE.accessToken]);
    const control = controlledRefresh();
    const { user } = renderApp({ server, signedInAs: ALICE, refresh: control.refresh });
    await screen.findByText('existing');

    await user.type(screen.getByPlaceholderText('What needs to be done?'), 'half-typed idea');
    server.validTokens = new Set(['token-after-sign-in']);
    await user.click(within(screen.getByTestId('todo-item')).getByRole('checkbox'));
    await waitFor(() => expect(control.refresh).toHaveBeenCalledTimes(1));
    act(() => control.fail(new SessionEndedError(new Error('refresh token revoked'))));

    expect(await screen.findByText('Your session has ended. Sign in again to continue.')).toBeInTheDocument();
    server.handlers.Login = loginAnswer('token-after-sign-in');
    await user.type(screen.getByLabelText('Email'), 'alice@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const field = await screen.findByPlaceholderText('What needs to be done?');
    expect(field).toHaveValue('half-typed idea');
    await waitFor(() => expect(field).toHaveFocus());
  });

  it('signs out, clears the text and calls logout', async () => {
    const server = new FakeTaskServer();
    server.addTask('private');
    server.handlers.Logout = () => ({ data: { logout: true } });
    const { user } = renderApp({ server, signedInAs: ALICE });
    await screen.findByText('private');
    await user.type(screen.getByPlaceholderText('What needs to be done?'), 'draft');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(server.requestsOf('Logout')[0].authorization).toBe(`Bearer ${ALICE.accessToken}`);
    expect(screen.queryByText('private')).not.toBeInTheDocument();
  });

  it('shows the sign-in screen when another tab signs out', async () => {
    const { channels } = createTabChannels(2);
    const server = new FakeTaskServer();
    server.addTask('shared');
    renderApp({ server, signedInAs: ALICE, channel: channels[0] });
    await screen.findByText('shared');

    act(() => channels[1].post({ type: 'signed-out' }));

    expect(await screen.findByText('You signed out in another tab.')).toBeInTheDocument();
    expect(screen.queryByText('shared')).not.toBeInTheDocument();
  });

  it('clears the Apollo cache on sign-out', async () => {
    const server = new FakeTaskServer();
    server.addTask('alice’s task');
    server.handlers.Logout = () => ({ data: { logout: true } });
    const { user, client } = renderApp({ server, signedInAs: ALICE });
    await screen.findByText('alice’s task');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });

    expect(client.cache.extract()).toEqual({});
  });
});
