// Access-token check of the reference servers: the same JWT rules and session query as the app's AuthService.resolveViewer.
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { GraphQLError } from 'graphql';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.-]+)$/;

// Same statement as resolveViewer in api/src/auth/auth.service.ts: the session check, which also
// records the session's use at most once a minute.
const VIEWER_SQL = `WITH live AS (
         SELECT s.id FROM sessions s
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.last_used_at > now() - make_interval(secs => $3)
       ), touched AS (
         UPDATE sessions SET last_used_at = now()
          WHERE id IN (SELECT id FROM live) AND last_used_at < now() - interval '1 minute'
       )
       SELECT u.* FROM live JOIN users u ON u.id = $2`;

/** Verifies bearer tokens (HS256, pinned algorithm, issuer, audience, lifetime) and loads the caller's live session. */
export class ViewerResolver {
  constructor({ pool, secret, issuer, audience, accessTokenTtlSeconds, sessionIdleTimeoutSeconds }) {
    this.pool = pool;
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.verifyOptions = { algorithms: ['HS256'], issuer, audience };
    this.accessTokenTtlSeconds = accessTokenTtlSeconds;
    this.sessionIdleTimeoutSeconds = sessionIdleTimeoutSeconds;
  }

  /** Returns the claims of a valid token, or undefined. */
  verify(token) {
    let payload;
    try {
      payload = jwt.verify(token, this.key, this.verifyOptions);
    } catch {
      return undefined;
    }
    if (typeof payload === 'string') return undefined;
    const { sub, sid, iat, exp } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > this.accessTokenTtlSeconds) return undefined;
    if (typeof sub !== 'string' || !UUID_PATTERN.test(sub) || typeof sid !== 'string' || !UUID_PATTERN.test(sid)) return undefined;
    return { userId: sub, sessionId: sid };
  }

  /** Returns { user, sessionId } for an Authorization header of a live session, or undefined. */
  async resolve(authorization) {
    const match = BEARER_PATTERN.exec(authorization ?? '');
    if (!match) return undefined;
    const claims = this.verify(match[1]);
    if (!claims) return undefined;
    const { rows } = await this.pool.query(VIEWER_SQL, [claims.sessionId, claims.userId, this.sessionIdleTimeoutSeconds]);
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return { user: { id: row.id, email: row.email, createdAt: row.created_at }, sessionId: claims.sessionId };
  }

  /** Builds a request context whose viewer() runs the check at most once, like the app's. */
  context(authorization) {
    let viewer;
    return { pool: this.pool, viewer: () => (viewer ??= this.resolve(authorization)) };
  }
}

export async function requireViewer(context) {
  const viewer = await context.viewer();
  if (!viewer) throw new GraphQLError('Not signed in, or the session has ended', { extensions: { code: 'UNAUTHENTICATED' } });
  return viewer;
}
