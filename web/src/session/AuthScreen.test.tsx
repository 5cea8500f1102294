import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_MESSAGE } from '../passwords/passwordStrength';
import { FakeTaskServer, graphQLError } from '../test/fakeTaskServer';
import { ALICE, renderApp } from '../test/renderApp';

function setUp() {
  const server = new FakeTaskServer();
  const app = renderApp({ server });
  return { server, ...app };
}

async function fillIn(user: ReturnType<typeof setUp>['user'], email: string, password: string) {
  if (email) await user.type(await screen.findByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
}

describe('sign-in form', () => {
  it('shows inline errors for empty fields and sends nothing', async () => {
    const { user, server } = setUp();

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    expect(screen.getByText('Enter your email address.')).toBeInTheDocument();
    expect(screen.getByText('Enter your password.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(server.requests).toHaveLength(0);
  });

  it('checks the email once the field is left', async () => {
    const { user } = setUp();

    await user.type(await screen.findByLabelText('Email'), 'not-an-email');
    await user.tab();

    expect(screen.getByText('Enter an email address such as name@example.com.')).toBeInTheDocument();
  });

  it('signs in and shows the task list with the email', async () => {
    const { user, server } = setUp();
    server.handlers.Login = ({ input }) =>
      input.email === 'alice@example.com' && input.password === 'correct horse'
        ? { data: { login: ALICE } }
        : graphQLError('UNAUTHENTICATED', 'Invalid email or password');

    await fillIn(user, '  alice@example.com ', 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('alice@example.com')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByPlaceholderText('What needs to be done?')).toHaveFocus());
    const login = server.requestsOf('Login')[0];
    expect(login.variables).toEqual({ input: { email: 'alice@example.com', password: 'correct horse' } });
    expect(login.authorization).toBeUndefined();
  });

  it('says a wrong email or password in plain words', async () => {
    const { user, server } = setUp();
    server.handlers.Login = () => graphQLError('UNAUTHENTICATED', 'Invalid email or password');

    await fillIn(user, 'alice@example.com', 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password.');
    expect(server.requestsOf('Login')).toHaveLength(1);
  });

  it('shows the wait of a rate limit and disables the button', async () => {
    const { user, server } = setUp();
    server.handlers.Login = () =>
      graphQLError('RATE_LIMITED', 'Too many requests', { retryAfterSeconds: 42 });

    await fillIn(user, 'alice@example.com', 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 42 seconds.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });

  it('says when the server cannot be reached', async () => {
    const { user, server } = setUp();
    server.failNextWithNetworkError('Login');

    await fillIn(user, 'alice@example.com', 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not reach the server. Check your connection and try again.',
    );
  });
});

describe('registration form', () => {
  async function openRegistration(user: ReturnType<typeof setUp>['user']) {
    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create an account' })).toBeInTheDocument();
  }

  it('requires at least 8 characters', async () => {
    const { user, server } = setUp();
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'short');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });

  it('counts 8 emoji as 8 characters', async () => {
    const { user, server } = setUp();
    server.handlers.Register = () => graphQLError('INTERNAL_SERVER_ERROR');
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', '🔑'.repeat(8));
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    await waitFor(() => expect(server.requestsOf('Register')).toHaveLength(1));
  });

  it('rejects a password over 72 bytes in UTF-8', async () => {
    const { user, server } = setUp();
    await openRegistration(user);

    // 37 characters, 74 bytes.
    await fillIn(user, 'bob@example.com', 'é'.repeat(37));
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(screen.getByText(/The password is too long: at most 72 bytes in UTF-8/)).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });

  it('shows a taken email on the email field', async () => {
    const { user, server } = setUp();
    server.handlers.Register = () => graphQLError('EMAIL_TAKEN', 'Email already registered');
    await openRegistration(user);

    await fillIn(user, 'alice@example.com', 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(await screen.findByText('An account with this email already exists. Sign in instead.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveFocus();
  });

  it('shows a password policy error', async () => {
    const { user, server } = setUp();
    server.handlers.Register = () =>
      graphQLError('BAD_USER_INPUT', 'Password must be at least 8 characters and at most 72 bytes');
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(await screen.findByText('Password must be at least 8 characters and at most 72 bytes')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('registers and signs in', async () => {
    const { user, server } = setUp();
    server.handlers.Register = ({ input }) => ({
      data: {
        register: {
          __typename: 'AuthPayload',
          accessToken: 'token-bob',
          accessTokenExpiresAt: '2026-01-01T00:30:00Z',
          user: { __typename: 'User', id: 'user-bob', email: input.email },
        },
      },
    });
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(await screen.findByText('bob@example.com')).toBeInTheDocument();
    await waitFor(() => expect(server.requestsOf('Tasks')[0]?.authorization).toBe('Bearer token-bob'));
  });

  it('shows the strength while typing', async () => {
    const { user } = setUp();
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'qwerty12');

    const meter = await screen.findByRole('meter', { name: 'Password strength' });
    expect(meter).toHaveAttribute('aria-valuetext', 'Very weak');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Strength: Very weak/);

    await user.type(screen.getByLabelText('Password'), ' violet meadow lantern');
    await waitFor(() => expect(meter).toHaveAttribute('aria-valuetext', 'Very strong'));
  });

  it('rates a password with the email in it lower', async () => {
    const { user } = setUp();
    await openRegistration(user);

    await fillIn(user, 'zanzibarquokka@example.com', 'zanzibarquokka');

    const meter = await screen.findByRole('meter', { name: 'Password strength' });
    expect(Number(meter.getAttribute('value'))).toBeLessThanOrEqual(1);
  });

  it('warns about a common password and does not send it', async () => {
    const { user, server } = setUp();
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'iloveyou');

    expect(await screen.findByText(COMMON_PASSWORD_MESSAGE)).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));
    expect(screen.getByLabelText('Password')).toHaveFocus();
    expect(server.requests).toHaveLength(0);
  });

  it('shows the server’s common-password error inline', async () => {
    const { user, server } = setUp();
    server.handlers.Register = () =>
      graphQLError('BAD_USER_INPUT', 'This password is in a list of commonly used passwords; choose another', {
        field: 'password',
      });
    await openRegistration(user);

    await fillIn(user, 'bob@example.com', 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(
      await screen.findByText('This password is in a list of commonly used passwords; choose another'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('leaves the strength check off for signing in', async () => {
    const { user } = setUp();

    await fillIn(user, 'alice@example.com', 'iloveyou');

    expect(screen.queryByRole('meter')).not.toBeInTheDocument();
    expect(screen.queryByText(/Strength:|Loading the strength check/)).not.toBeInTheDocument();
    expect(screen.queryByText(COMMON_PASSWORD_MESSAGE)).not.toBeInTheDocument();
  });
});
