import { SessionEndedError, type AuthPayload, type RefreshRequest, type SessionUser } from './refreshRequest';
import type { SessionChannel, SessionMessage } from './sessionChannel';

/** The reason the sign-in screen is shown, when it is not the first visit. */
export type SignedOutReason = 'expired' | 'signed-out-elsewhere' | 'account-deleted';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; reason?: SignedOutReason }
  | { status: 'signed-in'; user: SessionUser }
  | { status: 'unreachable'; error: unknown };

export interface SessionManagerOptions {
  refresh: RefreshRequest;
  channel?: SessionChannel;
}

/**
 * Holds the browser session: the access token (in memory only, never in Web Storage), the
 * signed-in user, and the renewal of the token from the HttpOnly refresh cookie.
 *
 * Renewals are single-flight: while one `refreshToken` request runs, every caller waits for
 * it instead of sending another, because each use of a refresh token rotates it.
 */
export class SessionManager {
  private state: SessionState = { status: 'restoring' };
  private accessToken: string | null = null;
  private renewal: Promise<AuthPayload> | null = null;
  // Incremented when the session ends here or a sign-in starts, so that a renewal started
  // before then cannot change the session when it completes.
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private readonly userChangeListeners = new Set<() => Promise<void> | void>();
  constructor(private readonly options: SessionManagerOptions) {
    options.channel?.subscribe((message) => this.onChannelMessage(message));
  }

  getState = (): SessionState => this.state;

  getAccessToken(): string | null {
    return this.accessToken;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Registers a callback that runs whenever the signed-in user changes or the session
   * ends. The app clears the Apollo cache there. When a user signs in, the new user's
   * screen renders only after the returned promise settles.
   */
  onUserChange(listener: () => Promise<void> | void): () => void {
    this.userChangeListeners.add(listener);
    return () => this.userChangeListeners.delete(listener);
  }

  /** Restores the session from the refresh cookie at page load. */
  async restore(): Promise<void> {
    this.setState({ status: 'restoring' });
    const generation = this.generation;

    try {
      await this.renewOnce();
    } catch (error) {
      if (generation !== this.generation) return;
      this.setState(error instanceof SessionEndedError ? { status: 'signed-out' } : { status: 'unreachable', error });
    }
  }

  /** Starts the session that a successful `login` or `register` returned, and notifies the other tabs. */
  async signIn(payload: AuthPayload): Promise<void> {
    this.generation += 1;
    this.renewal = null;
    await this.adopt(payload, this.generation);
    this.options.channel?.post({ type: 'signed-in', userId: payload.user.id });
  }

  /**
   * Ends the session in this tab after a `logout` (or `logoutAllSessions`, or the
   * account's deletion), and signs out the other tabs. `reason` is shown on this tab's
   * sign-in screen.
   */
  signOut(reason?: SignedOutReason): void {
    this.endLocally(reason);
    this.options.channel?.post({ type: 'signed-out' });
  }

  /**
   * Takes the new access token that `changePassword` issued for this same session. The
   * user stays the same, so the screen and the cache stay. The other tabs get no message
   * because they share this session and its refresh cookie, which the response replaced.
   */
  async replaceTokens(payload: AuthPayload): Promise<void> {
    // A renewal still running presented the refresh token that the change revoked, so
    // its result must not end the session.
    this.generation += 1;
    this.renewal = null;
    await this.adopt(payload, this.generation);
  }

  /**
   * Returns an access token to retry a request that the server rejected as unauthenticated.
   * When another request has already renewed the token since `rejectedToken` was sent, that
   * newer token is returned without a new renewal. When the server rejects the refresh
   * token, the session ends and the sign-in screen appears.
   */
  async renewAccessToken(rejectedToken: string): Promise<string> {
    if (this.accessToken !== null && this.accessToken !== rejectedToken) return this.accessToken;

    const generation = this.generation;
    try {
      const payload = await this.renewOnce();
      return payload.accessToken;
    } catch (error) {
      if (error instanceof SessionEndedError && generation === this.generation) this.endLocally('expired');
      throw error;
    }
  }

  private renewOnce(): Promise<AuthPayload> {
    if (this.renewal) return this.renewal;

    const generation = this.generation;
    const renewal = this.options.refresh().then(async (payload) => {
      await this.adopt(payload, generation);
      return payload;
    });

    this.renewal = renewal;
    const clear = () => {
      if (this.renewal === renewal) this.renewal = null;
    };
    renewal.then(clear, clear);
    return renewal;
  }

  /** Makes `payload` the current session, unless the session ended after `generation` began. */
  private async adopt(payload: AuthPayload, generation: number): Promise<void> {
    if (generation !== this.generation) return;

    const current = this.state;
    const previousUserId = current.status === 'signed-in' ? current.user.id : null;

    if (previousUserId !== payload.user.id) {
      // Take the previous user's screen away first, then clear what it cached, and only
      // then show the new user's screen, whose queries must not be cancelled by the clearing.
      this.accessToken = null;
      if (current.status === 'signed-in') this.setState({ status: 'restoring' });
      await this.notifyUserChange();
      if (generation !== this.generation) return;
    }

    this.accessToken = payload.accessToken;
    const latest = this.state;
    const unchanged =
      latest.status === 'signed-in' && latest.user.id === payload.user.id && latest.user.email === payload.user.email;
    if (!unchanged) this.setState({ status: 'signed-in', user: payload.user });
  }

  private endLocally(reason: SignedOutReason | undefined): void {
    this.generation += 1;
    this.accessToken = null;
    this.renewal = null;
    // The signed-out state renders first, so that no query of the old screen is still
    // running when the cache is cleared.
    this.setState(reason === undefined ? { status: 'signed-out' } : { status: 'signed-out', reason });
    void this.notifyUserChange();
  }

  private onChannelMessage(message: SessionMessage): void {
    if (message.type === 'signed-out') {
      if (this.state.status !== 'signed-out') this.endLocally('signed-out-elsewhere');
      return;
    }

    // Another tab signed in, so the cookie now belongs to its session: take it over unless
    // this tab already shows the same user.
    const sameUser = this.state.status === 'signed-in' && this.state.user.id === message.userId;
    if (sameUser) return;

    this.renewOnce().catch((error: unknown) => {
      if (error instanceof SessionEndedError && this.state.status === 'signed-in') this.endLocally('expired');
    });
  }

  private async notifyUserChange(): Promise<void> {
    await Promise.all([...this.userChangeListeners].map(async (listener) => listener()));
  }

  private setState(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
