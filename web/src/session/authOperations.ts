import { graphql } from '../gql';

/**
 * The fields of an `AuthPayload` that start a session in the browser. It selects
 * `__typename` itself because the session refresh sends it with fetch(), where Apollo
 * Client does not add it.
 */
export const SESSION_PAYLOAD_FRAGMENT = graphql(`
  fragment SessionPayload on AuthPayload {
    __typename
    accessToken
    accessTokenExpiresAt
    user {
      __typename
      id
      email
    }
  }
`);

// Both sign-in mutations leave `refreshTokenDelivery` at its default, COOKIE: the refresh
// token then arrives only in the HttpOnly cookie and never in the response body.
export const LOGIN_MUTATION = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...SessionPayload
    }
  }
`);

export const REGISTER_MUTATION = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      ...SessionPayload
    }
  }
`);

export const LOGOUT_MUTATION = graphql(`
  mutation Logout {
    logout
  }
`);

/** Renews the access token from the HttpOnly refresh cookie, which COOKIE sessions send instead of the argument. */
export const REFRESH_TOKEN_MUTATION = graphql(`
  mutation RefreshToken {
    refreshToken {
      ...SessionPayload
    }
  }
`);
