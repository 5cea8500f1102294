import { graphql } from '../gql';
import type { SessionsQuery } from '../gql/graphql';

/** A signed-in browser or program of the account, as the sessions list shows it. */
export type AccountSession = SessionsQuery['sessions'][number];

export const SESSIONS_QUERY = graphql(`
  query Sessions {
    sessions {
      id
      createdAt
      lastUsedAt
      userAgent
      ip
      current
    }
  }
`);

export const REVOKE_SESSION_MUTATION = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

/** Returns new tokens for this session, and ends every other session of the account. */
export const CHANGE_PASSWORD_MUTATION = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      ...SessionPayload
    }
  }
`);

export const LOGOUT_ALL_SESSIONS_MUTATION = graphql(`
  mutation LogoutAllSessions {
    logoutAllSessions
  }
`);

export const DELETE_ACCOUNT_MUTATION = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);
