import { randomBytes } from 'node:crypto';
import type { TestServer } from './test-server';

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  headers: Headers;
  /** Set-Cookie headers of the response. */
  cookies: string[];
}

export interface RequestOptions {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** Sends one GraphQL operation over HTTP, as a client would. */
export async function gql<Data = Record<string, any>>(
  server: Pick<TestServer, 'graphqlUrl'>,
  query: string,
  variables?: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<GraphQLResponse<Data>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  const response = await fetch(server.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: { data?: Data | null; errors?: GraphQLResponse['errors'] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Response is not JSON (status ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, ...body, headers: response.headers, cookies: response.headers.getSetCookie() };
}

/** Returns the `extensions.code` of the first error, or undefined. */
export function errorCode(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

export const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id email createdAt }';

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`;
export const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
export const REFRESH = `mutation Refresh($token: String) { refreshToken(token: $token) { ${AUTH_FIELDS} } }`;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  /** The refresh token of a BODY session. */
  refreshToken: string;
}

/** Registers a new account with a BODY session and returns its tokens. */
export async function registerUser(server: Pick<TestServer, 'graphqlUrl'>, email = uniqueEmail()): Promise<TestUser> {
  const response = await gql(server, REGISTER, { input: { email, password: PASSWORD, refreshTokenDelivery: 'BODY' } });
  if (!response.data?.register) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  const payload = response.data.register;
  return { id: payload.user.id, email, password: PASSWORD, accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

/** Parses a Set-Cookie header into its name, value and lower-cased attributes. */
export function parseSetCookie(header: string): { name: string; value: string; attributes: Record<string, string | true> } {
  const [pair, ...rest] = header.split(';').map((part) => part.trim());
  const index = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const [key, ...value] = attribute.split('=');
    attributes[key.toLowerCase()] = value.length > 0 ? value.join('=') : true;
  }
  return { name: pair.slice(0, index), value: decodeURIComponent(pair.slice(index + 1)), attributes };
}
