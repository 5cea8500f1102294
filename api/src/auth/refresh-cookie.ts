import type { CookieOptions, Request, Response } from 'express';

/** Browsers accept the `__Secure-` prefix only over HTTPS, so plain http://localhost uses the bare name. */
const SECURE_NAME = '__Secure-refresh_token';
const PLAIN_NAME = 'refresh_token';
const COOKIE_PATH = '/graphql';

function cookieName(req: Request): string {
  return req.secure ? SECURE_NAME : PLAIN_NAME;
}

function baseOptions(): CookieOptions {
  // Secure even on http: browsers accept Secure cookies from http://localhost, and every other host needs HTTPS.
  return { httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH };
}

export function readRefreshCookie(req: Request): string | undefined {
  const cookies = (req.cookies ?? {}) as Record<string, unknown>;
  const value = cookies[cookieName(req)];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function setRefreshCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(cookieName(req), token, { ...baseOptions(), expires: expiresAt });
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(cookieName(req), baseOptions());
}
