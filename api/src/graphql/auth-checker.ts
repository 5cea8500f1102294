import type { AuthChecker } from 'type-graphql';
import { requireViewer, type RequestContext } from '../auth/context';

/** Lets a field of @Authorized through only for a caller with a valid access token of a live session. */
export const authChecker: AuthChecker<RequestContext> = async ({ context }) => {
  await requireViewer(context);
  return true;
};
