import type { SerializeOptions } from 'cookie';
import type { Timestamp } from '../timestamps';
import type { CookieJar } from './context';

/** Browsers accept the `__Secure-` prefix only over HTTPS, so plain http://localhost uses the bare name. */
const SECURE_NAME = '__Secure-refresh_token';
const PLAIN_NAME = 'refresh_token';
const COOKIE_PATH = '/graphql';

function cookieName(cookies: CookieJar): string {
  return cookies.secure ? SECURE_NAME : PLAIN_NAME;
}

function baseOptions(): SerializeOptions {
  // Secure even on http: browsers accept Secure cookies from http://localhost, and every other host needs HTTPS.
  return { httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH };
}

export function readRefreshCookie(cookies: CookieJar): string | undefined {
  const value = cookies.get(cookieName(cookies));
  return value === '' ? undefined : value;
}

export function setRefreshCookie(cookies: CookieJar, token: string, expiresAt: Timestamp): void {
  cookies.set(cookieName(cookies), token, { ...baseOptions(), expires: new Date(expiresAt) });
}

export function clearRefreshCookie(cookies: CookieJar): void {
  cookies.set(cookieName(cookies), '', { ...baseOptions(), expires: new Date(0) });
}
