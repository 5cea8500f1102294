import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from '../auth/context';
import { UnauthenticatedError } from '../errors';

/** Lets a field of @Authorized through only for a caller with a valid access token of a live session. */
export const authChecker: AuthChecker<RequestContext> = async ({ context }) => {
  const viewer = await context.viewer();
  if (!viewer) throw new UnauthenticatedError();
  return true;
};
