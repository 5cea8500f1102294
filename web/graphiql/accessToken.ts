import { tryParseJSONC } from '@graphiql/react';

/**
 * Finds an access token in the text of GraphiQL's response editor: the string `accessToken`
 * of the first top-level field that has one, as `register`, `login`, `refreshToken` and
 * `changePassword` return (under their own names or an alias).
 */
export function findAccessToken(responseText: string): string | undefined {
  let response: unknown;
  try {
    response = JSON.parse(responseText);
  } catch {
    return undefined;
  }
  if (!isObject(response) || !isObject(response.data)) return undefined;

  for (const field of Object.values(response.data)) {
    if (isObject(field) && typeof field.accessToken === 'string' && field.accessToken !== '') return field.accessToken;
  }
  return undefined;
}

/**
 * Returns the request headers as JSON with `Authorization: Bearer <token>` in place of any
 * earlier Authorization header, keeping the other headers. Throws when the headers are not
 * a JSON object, so that the person's text is never overwritten.
 */
export function withBearerToken(headersText: string, token: string): string {
  let headers: Record<string, unknown>;
  try {
    headers = tryParseJSONC(headersText) ?? {};
  } catch (error) {
    throw new Error(`Request headers ${error instanceof Error ? error.message : String(error)} Fix or clear them first.`);
  }

  const others = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization');
  return JSON.stringify({ ...Object.fromEntries(others), Authorization: `Bearer ${token}` }, null, 2);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
