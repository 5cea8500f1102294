import { gql, type TypedDocumentNode } from '@apollo/client';
import type { AuthPayload } from './refreshRequest';

interface Credentials {
  email: string;
  password: string;
}

// Both sign-in mutations leave `refreshTokenDelivery` at its default, COOKIE: the refresh
// token then arrives only in the HttpOnly cookie and never in the response body.
export const LOGIN_MUTATION: TypedDocumentNode<{ login: AuthPayload }, { input: Credentials }> = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      accessTokenExpiresAt
      user {
        id
        email
      }
    }
  }
`;

export const REGISTER_MUTATION: TypedDocumentNode<{ register: AuthPayload }, { input: Credentials }> = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      accessTokenExpiresAt
      user {
        id
        email
      }
    }
  }
`;

export const LOGOUT_MUTATION: TypedDocumentNode<{ logout: boolean }, Record<string, never>> = gql`
  mutation Logout {
    logout
  }
`;
