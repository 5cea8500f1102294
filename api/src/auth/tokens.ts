import { createHash, createHmac, createSecretKey, hkdfSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signs and verifies access tokens (HS256 JWTs) and makes refresh tokens (256 random bits,
 * stored only as their SHA-256).
 */
export class TokenService {
  /** A KeyObject made once: jsonwebtoken verifies far faster with it than with a string secret. */
  private readonly signingKey: KeyObject;
  /** Derives a rotated refresh token's successor, so that concurrent rotations agree without storing tokens. */
  private readonly successorKey: Buffer;

  constructor(private readonly config: Pick<Config, 'jwtIssuer' | 'jwtAudience' | 'accessTokenTtlSeconds'> & { authSecret: string }) {
    this.signingKey = createSecretKey(Buffer.from(config.authSecret, 'utf8'));
    this.successorKey = Buffer.from(
      hkdfSync('sha256', Buffer.from(config.authSecret, 'utf8'), Buffer.alloc(0), 'todo refresh token successor', 32),
    );
  }

  signAccessToken(claims: AccessTokenClaims): SignedAccessToken {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + this.config.accessTokenTtlSeconds;
    const token = jwt.sign({ sid: claims.sessionId, iat: issuedAt, exp: expiresAt }, this.signingKey, {
      algorithm: 'HS256',
      subject: claims.userId,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      jwtid: randomUUID(),
    });
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /**
   * Returns the claims of a valid access token, or why it is not valid: "expired" for a
   * correctly signed token past its `exp`, "invalid" for anything else (another algorithm, a
   * wrong signature, issuer or audience, no `exp`, or a lifetime longer than
   * ACCESS_TOKEN_TTL). Never throws.
   */
  verifyAccessToken(token: string): AccessTokenClaims | 'expired' | 'invalid' {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.signingKey, {
        algorithms: ['HS256'],
        issuer: this.config.jwtIssuer,
        audience: this.config.jwtAudience,
      });
    } catch (error) {
      // jsonwebtoken checks the signature before the expiry, so only a genuine token can be "expired".
      return error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
    }
    if (typeof payload === 'string') return 'invalid';

    const { sub, sid, iat, exp } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') return 'invalid';
    if (exp - iat > this.config.accessTokenTtlSeconds) return 'invalid';
    if (typeof sub !== 'string' || !UUID_PATTERN.test(sub)) return 'invalid';
    if (typeof sid !== 'string' || !UUID_PATTERN.test(sid)) return 'invalid';
    return { userId: sub, sessionId: sid };
  }

  newRefreshToken(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Derives the token that replaces `token` at rotation. Every rotation of the same token derives the same one. */
  successorOf(token: string): string {
    return createHmac('sha256', this.successorKey).update(token, 'utf8').digest('base64url');
  }

  hashRefreshToken(token: string): Buffer {
    return createHash('sha256').update(token, 'utf8').digest();
  }
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
