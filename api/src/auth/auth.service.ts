import { z } from 'zod';
import type { Config } from '../config';
import type { Sql } from '../sql';
import { BadUserInputError, EmailTakenError, INVALID_CREDENTIALS_MESSAGE, NotFoundError, UnauthenticatedError } from '../errors';
import type { Logger } from '../logging';
import { ACCOUNT_FAILURE_WARNING_THRESHOLD, type RateLimiter } from '../rate-limit';
import { checkText } from '../text';
import { PasswordHasher, checkPasswordPolicy } from './passwords';
import { RefreshTokenDelivery } from './session.entity';
import { TokenService, isUuid, type SignedAccessToken } from './tokens';
import type { User } from './user.entity';
import type { Timestamp } from '../timestamps';

/** Origin of a request (client IP and User-Agent), recorded on the sessions it signs in. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Reasons a request has no caller, each with the message that shows the client what to do next. */
export const AUTH_PROBLEMS = {
  missing: 'Authentication required: send an access token as "Authorization: Bearer <token>"',
  invalid: 'Invalid access token: sign in again',
  expired: 'Access token expired: get a new one with the refreshToken mutation',
  ended: 'Session ended (signed out, revoked or expired): sign in again',
} as const;

export type AuthProblem = keyof typeof AUTH_PROBLEMS;

/** The caller of a request with a valid access token of a live session. */
export interface Viewer {
  user: User;
  sessionId: string;
}

/** New tokens of a signed-in session. `refreshToken` goes in a cookie or in the body, according to `delivery`. */
export interface IssuedTokens {
  user: User;
  sessionId: string;
  delivery: RefreshTokenDelivery;
  access: SignedAccessToken;
  refreshToken: string;
  sessionExpiresAt: Timestamp;
}

export interface SessionRecord {
  id: string;
  createdAt: Timestamp;
  lastUsedAt: Timestamp;
  userAgent: string | null;
  ip: string | null;
}

const MAX_EMAIL_LENGTH = 254;
const emailSchema = z.email();

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, passwordHash: row.password_hash, createdAt: row.created_at, updatedAt: row.updated_at };
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === UNIQUE_VIOLATION;
}

/** Normalizes an email for storage and lookup: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Accounts, sign-in, sessions and their tokens. Every rule about who may do what with an
 * account lives here; resolvers only move arguments in and results out.
 */
export class AuthService {
  readonly tokens: TokenService;
  private readonly passwords: PasswordHasher;

  constructor(
    private readonly db: Sql,
    private readonly config: Config & { authSecret: string },
    private readonly log: Logger,
    private readonly limits: RateLimiter,
  ) {
    this.tokens = new TokenService(config);
    this.passwords = new PasswordHasher(config.bcryptCost, config.bcryptConcurrency);
  }

  async register(email: string, password: string, delivery: RefreshTokenDelivery, client: ClientInfo): Promise<IssuedTokens> {
    const normalized = this.checkEmail(email);
    checkPasswordPolicy(password, 'password');
    // Counted after the input checks, so that typing mistakes do not use up a person's registrations.
    await this.limits.register(client.ip ?? 'unknown');

    // A cheap check first so that a taken email costs no bcrypt hash. The unique index decides races.
    const existing = await this.db.query(`SELECT 1 FROM users WHERE email = $1`, [normalized]);
    if (existing.length > 0) throw new EmailTakenError();

    const passwordHash = await this.passwords.hash(password);
    let rows: UserRow[];
    try {
      rows = await this.db.query(`INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING *`, [normalized, passwordHash]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
    const user = toUser(rows[0]);
    this.log.info({ event: 'user.registered', userId: user.id }, 'account registered');
    return this.startSession(user, delivery, client);
  }

  /**
   * Signs in. A wrong email and a wrong password get the same error and cost the same bcrypt
   * comparison, which is skipped (ClientGoneError) if `signal` aborts while it waits its turn.
   */
  async login(email: string, password: string, delivery: RefreshTokenDelivery, client: ClientInfo, signal?: AbortSignal): Promise<IssuedTokens> {
    const normalized = normalizeEmail(email);
    const ip = client.ip ?? 'unknown';
    await this.limits.beginLogin(normalized, ip);

    const user = await this.findUserByEmail(normalized);
    const valid = await this.passwords.verify(password, user?.passwordHash, signal);
    if (!user || !valid) {
      this.log.info({ event: 'login.failed', userId: user?.id, ip }, 'sign-in failed');
      if (await this.limits.loginFailed(normalized)) {
        this.log.warn(
          { event: 'login.failures_on_account', userId: user?.id, threshold: ACCOUNT_FAILURE_WARNING_THRESHOLD },
          'many failed sign-ins on one account within 15 minutes, from any IPs',
        );
      }
      throw new UnauthenticatedError(INVALID_CREDENTIALS_MESSAGE);
    }
    await this.limits.loginSucceeded(normalized, ip);
    this.log.info({ event: 'login.succeeded', userId: user.id }, 'signed in');
    return this.startSession(user, delivery, client);
  }

  /**
   * Rotates a refresh token: the presented one is spent and its successor returned. A token
   * presented again within REFRESH_REUSE_GRACE of its rotation gets the same successor, as
   * when two tabs refresh at once. Later than that, it counts as stolen or replayed, so its
   * whole session is revoked.
   */
  async refresh(token: string, presentedAs: RefreshTokenDelivery): Promise<IssuedTokens> {
    const hash = this.tokens.hashRefreshToken(token);
    const owners: Array<{ session_id: string }> = await this.db.query(`SELECT session_id FROM refresh_tokens WHERE token_hash = $1`, [hash]);
    if (owners.length === 0) throw new UnauthenticatedError('Invalid or expired refresh token; sign in again');
    await this.limits.refresh(owners[0].session_id);

    const outcome = await this.db.transaction((manager) => this.rotate(manager, token, presentedAs));
    if (outcome.kind === 'reused') {
      this.log.warn(
        { event: 'refresh_token.reused', userId: outcome.userId, sessionId: outcome.sessionId },
        'refresh token reused after rotation; session revoked',
      );
    }
    if (outcome.kind !== 'rotated') throw new UnauthenticatedError('Invalid or expired refresh token; sign in again');
    return outcome.tokens;
  }

  private async rotate(
    manager: Sql,
    token: string,
    presentedAs: RefreshTokenDelivery,
  ): Promise<{ kind: 'rotated'; tokens: IssuedTokens } | { kind: 'invalid' } | { kind: 'reused'; userId: string; sessionId: string }> {
    // Concurrent rotations of one token queue on this row lock. The SELECT below then runs with a
    // new snapshot (READ COMMITTED), so the second rotation reads the first one's successor.
    await manager.query(`SELECT id FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [this.tokens.hashRefreshToken(token)]);
    const rows: Array<{
      id: string;
      session_id: string;
      rotated_at: Timestamp | null;
      successor_current: boolean | null;
      user_id: string;
      delivery: RefreshTokenDelivery;
      expires_at: Timestamp;
      active: boolean;
    }> = await manager.query(
      `SELECT rt.id, rt.session_id, rt.rotated_at, s.user_id, s.delivery, s.expires_at,
              (SELECT next.rotated_at IS NULL FROM refresh_tokens next WHERE next.id = rt.replaced_by) AS successor_current,
              (s.revoked_at IS NULL AND s.expires_at > now() AND s.last_used_at > now() - make_interval(secs => $2)) AS active
         FROM refresh_tokens rt
         JOIN sessions s ON s.id = rt.session_id
        WHERE rt.token_hash = $1`,
      [this.tokens.hashRefreshToken(token), this.config.sessionIdleTimeoutSeconds],
    );
    const current = rows[0];
    if (!current || !current.active || current.delivery !== presentedAs) return { kind: 'invalid' };

    const successor = this.tokens.successorOf(token);
    if (current.rotated_at !== null) {
      const age = (Date.now() - Date.parse(current.rotated_at)) / 1000;
      const withinGrace = age <= this.config.refreshReuseGraceSeconds && current.successor_current === true;
      if (!withinGrace) {
        await manager.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [current.session_id]);
        return { kind: 'reused', userId: current.user_id, sessionId: current.session_id };
      }
    } else {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2) RETURNING id`,
        [current.session_id, this.tokens.hashRefreshToken(successor)],
      );
      await manager.query(`UPDATE refresh_tokens SET rotated_at = now(), replaced_by = $2 WHERE id = $1`, [current.id, inserted[0].id]);
    }

    await manager.query(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [current.session_id]);
    const users: UserRow[] = await manager.query(`SELECT * FROM users WHERE id = $1`, [current.user_id]);
    const user = toUser(users[0]);
    return {
      kind: 'rotated',
      tokens: {
        user,
        sessionId: current.session_id,
        delivery: current.delivery,
        access: this.tokens.signAccessToken({ userId: user.id, sessionId: current.session_id }),
        refreshToken: successor,
        sessionExpiresAt: current.expires_at,
      },
    };
  }

  /**
   * Returns the caller behind an access token, or the problem when the token is invalid or
   * its session has ended (signed out, revoked, expired, idle, or the account deleted). One
   * statement of primary-key lookups, so revocation takes effect on the next request.
   */
  async resolveViewer(accessToken: string): Promise<Viewer | AuthProblem> {
    const claims = this.tokens.verifyAccessToken(accessToken);
    if (typeof claims === 'string') return claims;

    // The session's last use is recorded at most once a minute, so most requests only read.
    const rows: UserRow[] = await this.db.query(
      `WITH live AS (
         SELECT s.id FROM sessions s
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.last_used_at > now() - make_interval(secs => $3)
       ), touched AS (
         UPDATE sessions SET last_used_at = now()
          WHERE id IN (SELECT id FROM live) AND last_used_at < now() - interval '1 minute'
       )
       SELECT u.* FROM live JOIN users u ON u.id = $2`,
      [claims.sessionId, claims.userId, this.config.sessionIdleTimeoutSeconds],
    );
    if (rows.length === 0) return 'ended';
    return { user: toUser(rows[0]), sessionId: claims.sessionId };
  }

  async logout(viewer: Viewer): Promise<void> {
    await this.db.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [viewer.sessionId]);
    this.log.info({ event: 'logout', userId: viewer.user.id, sessionId: viewer.sessionId }, 'signed out');
  }

  /** Ends every session of the caller's account, this one included. */
  async logoutAll(viewer: Viewer): Promise<void> {
    await this.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [viewer.user.id]);
    this.log.info({ event: 'logout.all', userId: viewer.user.id }, 'signed out of every session');
  }

  /** Checks the current password, sets the new one, ends every other session and issues new tokens for this one. */
  async changePassword(viewer: Viewer, currentPassword: string, newPassword: string): Promise<IssuedTokens> {
    checkPasswordPolicy(newPassword, 'newPassword');
    await this.checkCurrentPassword(viewer, currentPassword, 'currentPassword');
    const passwordHash = await this.passwords.hash(newPassword);

    // The current session goes on with a new refresh token, so that a copied old one stops working too.
    const refreshToken = this.tokens.newRefreshToken();
    const session = await this.db.transaction(async (manager) => {
      await manager.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [viewer.user.id, passwordHash]);
      await manager.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, [
        viewer.user.id,
        viewer.sessionId,
      ]);
      // Deleted rather than marked rotated: presenting an old token must fail without counting as reuse.
      await manager.query(`DELETE FROM refresh_tokens WHERE session_id = $1`, [viewer.sessionId]);
      await manager.query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [
        viewer.sessionId,
        this.tokens.hashRefreshToken(refreshToken),
      ]);
      const sessions: Array<{ delivery: RefreshTokenDelivery; expires_at: Timestamp }> = await manager.query(
        `SELECT delivery, expires_at FROM sessions WHERE id = $1`,
        [viewer.sessionId],
      );
      return sessions[0];
    });
    this.log.info({ event: 'password.changed', userId: viewer.user.id }, 'password changed; other sessions ended');

    return {
      user: { ...viewer.user, passwordHash },
      sessionId: viewer.sessionId,
      delivery: session.delivery,
      access: this.tokens.signAccessToken({ userId: viewer.user.id, sessionId: viewer.sessionId }),
      refreshToken,
      sessionExpiresAt: session.expires_at,
    };
  }

  async listSessions(viewer: Viewer): Promise<SessionRecord[]> {
    const rows: Array<{ id: string; created_at: Timestamp; last_used_at: Timestamp; user_agent: string | null; ip: string | null }> =
      await this.db.query(
        `SELECT id, created_at, last_used_at, user_agent, ip FROM sessions
          WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
            AND last_used_at > now() - make_interval(secs => $2)
          ORDER BY created_at DESC, id`,
        [viewer.user.id, this.config.sessionIdleTimeoutSeconds],
      );
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      userAgent: row.user_agent,
      ip: row.ip,
    }));
  }

  /** Ends one of the caller's sessions. Another user's session id is NOT_FOUND, like one that does not exist. */
  async revokeSession(viewer: Viewer, sessionId: string): Promise<void> {
    const revoked = isUuid(sessionId)
      ? await this.db.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`, [
          sessionId,
          viewer.user.id,
        ])
      : [];
    if (revoked.length === 0) throw new NotFoundError('Session');
    this.log.info({ event: 'session.revoked', userId: viewer.user.id, sessionId }, 'session revoked');
  }

  /** Deletes the account after checking its password; its tasks and sessions go with it (ON DELETE CASCADE). */
  async deleteAccount(viewer: Viewer, password: string): Promise<void> {
    await this.checkCurrentPassword(viewer, password, 'password');
    await this.db.query(`DELETE FROM users WHERE id = $1`, [viewer.user.id]);
    this.log.info({ event: 'user.deleted', userId: viewer.user.id }, 'account deleted');
  }

  private async findUserByEmail(email: string): Promise<User | undefined> {
    const rows: UserRow[] = await this.db.query(`SELECT * FROM users WHERE email = $1`, [email]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  /**
   * Verifies the signed-in account's password before a sensitive change. A wrong one is
   * BAD_USER_INPUT, not UNAUTHENTICATED, to which clients respond by refreshing their token.
   */
  private async checkCurrentPassword(viewer: Viewer, password: string, field: string): Promise<void> {
    await this.limits.beginPasswordCheck(viewer.user.id);
    if (!(await this.passwords.verify(password, viewer.user.passwordHash))) {
      this.log.info({ event: 'password_check.failed', userId: viewer.user.id }, 'wrong password for a sensitive change');
      throw new BadUserInputError('Password is incorrect', field);
    }
    await this.limits.passwordCheckSucceeded(viewer.user.id);
  }

  private checkEmail(email: string): string {
    checkText(email, 'email');
    const normalized = normalizeEmail(email);
    if (normalized.length > MAX_EMAIL_LENGTH || !emailSchema.safeParse(normalized).success) {
      throw new BadUserInputError('Email is not a valid address; expected something like name@example.com', 'email');
    }
    return normalized;
  }

  private async startSession(user: User, delivery: RefreshTokenDelivery, client: ClientInfo): Promise<IssuedTokens> {
    const refreshToken = this.tokens.newRefreshToken();
    const session = await this.db.transaction(async (manager) => {
      const sessions: Array<{ id: string; expires_at: Timestamp }> = await manager.query(
        `INSERT INTO sessions (user_id, delivery, expires_at, user_agent, ip)
         VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5)
         RETURNING id, expires_at`,
        [user.id, delivery, this.config.refreshTokenTtlSeconds, client.userAgent?.slice(0, 512) ?? null, client.ip],
      );
      await manager.query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [
        sessions[0].id,
        this.tokens.hashRefreshToken(refreshToken),
      ]);
      return sessions[0];
    });
    return {
      user,
      sessionId: session.id,
      delivery,
      access: this.tokens.signAccessToken({ userId: user.id, sessionId: session.id }),
      refreshToken,
      sessionExpiresAt: session.expires_at,
    };
  }
}
