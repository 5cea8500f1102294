import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { UnauthenticatedError } from '../errors';
import type { IssuedTokens } from './auth.service';
import { AuthPayload, LoginInput, RegisterInput, SessionInfo } from './auth.types';
import { requireViewer, type RequestContext } from './context';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie';
import { RefreshTokenDelivery } from './session.entity';
import { User } from './user.entity';

/** Puts a COOKIE session's refresh token in its cookie, and a BODY session's in the payload. */
function toPayload(context: RequestContext, issued: IssuedTokens): AuthPayload {
  let refreshToken: string | null = null;
  if (issued.delivery === RefreshTokenDelivery.COOKIE) {
    setRefreshCookie(context.cookies, issued.refreshToken, issued.sessionExpiresAt);
  } else {
    refreshToken = issued.refreshToken;
  }
  return {
    accessToken: issued.access.token,
    accessTokenExpiresAt: issued.access.expiresAt,
    refreshToken,
    user: issued.user,
  };
}

@Resolver()
export class AuthResolver {
  @Authorized()
  @Query(() => User, { description: 'The signed-in account.' })
  async me(@Ctx() context: RequestContext): Promise<User> {
    return (await requireViewer(context)).user;
  }

  @Authorized()
  @Query(() => [SessionInfo], { description: 'The signed-in account’s active sessions, newest first.' })
  async sessions(@Ctx() context: RequestContext): Promise<SessionInfo[]> {
    const viewer = await requireViewer(context);
    const sessions = await context.auth.listSessions(viewer);
    return sessions.map((session) => ({ ...session, current: session.id === viewer.sessionId }));
  }

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  async register(@Arg('input', { description: 'The new account.' }) input: RegisterInput, @Ctx() context: RequestContext): Promise<AuthPayload> {
    const issued = await context.auth.register(input.email, input.password, input.refreshTokenDelivery ?? RefreshTokenDelivery.COOKIE, context.client);
    return toPayload(context, issued);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in. A wrong email or password is UNAUTHENTICATED, with one message for both.' })
  async login(@Arg('input', { description: 'The credentials.' }) input: LoginInput, @Ctx() context: RequestContext): Promise<AuthPayload> {
    const issued = await context.auth.login(input.email, input.password, input.refreshTokenDelivery ?? RefreshTokenDelivery.COOKIE, context.client, context.signal);
    return toPayload(context, issued);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Exchanges a refresh token for a new access token and a new refresh token; the old refresh token stops working. COOKIE sessions send the cookie, BODY sessions the token argument.',
  })
  async refreshToken(
    @Arg('token', () => String, { nullable: true, description: 'The refresh token of a BODY session; omit it for COOKIE sessions.' })
    token: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<AuthPayload> {
    const fromCookie = readRefreshCookie(context.cookies);
    const presented = token ?? fromCookie;
    if (!presented) {
      throw new UnauthenticatedError('No refresh token: send it as the token argument, or sign in again to get the cookie');
    }
    const presentedAs = token ? RefreshTokenDelivery.BODY : RefreshTokenDelivery.COOKIE;
    try {
      return toPayload(context, await context.auth.refresh(presented, presentedAs));
    } catch (error) {
      // A dead cookie is cleared so the browser stops sending it.
      if (presentedAs === RefreshTokenDelivery.COOKIE && error instanceof UnauthenticatedError) {
        clearRefreshCookie(context.cookies);
      }
      throw error;
    }
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends the current session and clears its refresh cookie.' })
  async logout(@Ctx() context: RequestContext): Promise<boolean> {
    await context.auth.logout(await requireViewer(context));
    clearRefreshCookie(context.cookies);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends every session of the account, this one included.' })
  async logoutAllSessions(@Ctx() context: RequestContext): Promise<boolean> {
    await context.auth.logoutAll(await requireViewer(context));
    clearRefreshCookie(context.cookies);
    return true;
  }

  @Authorized()
  @Mutation(() => AuthPayload, {
    description:
      'Changes the password after checking the current one, and ends every other session. A wrong current password is BAD_USER_INPUT.',
  })
  async changePassword(
    @Arg('currentPassword', { description: 'The password in use now.' }) currentPassword: string,
    @Arg('newPassword', { description: 'The new password, under the same policy as at registration.' }) newPassword: string,
    @Ctx() context: RequestContext,
  ): Promise<AuthPayload> {
    const issued = await context.auth.changePassword(await requireViewer(context), currentPassword, newPassword);
    return toPayload(context, issued);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends one of the account’s sessions. An unknown id, or another account’s, is NOT_FOUND.' })
  async revokeSession(@Arg('id', () => ID, { description: 'The session to end.' }) id: string, @Ctx() context: RequestContext): Promise<boolean> {
    await context.auth.revokeSession(await requireViewer(context), id);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Deletes the account with its tasks and sessions, after checking its password. A wrong password is BAD_USER_INPUT.',
  })
  async deleteAccount(
    @Arg('password', { description: 'The account’s password.' }) password: string,
    @Ctx() context: RequestContext,
  ): Promise<boolean> {
    await context.auth.deleteAccount(await requireViewer(context), password);
    clearRefreshCookie(context.cookies);
    return true;
  }
}
