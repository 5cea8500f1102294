import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { RefreshTokenDelivery } from './session.entity';
import { User } from './user.entity';
import { DateTimeScalar, type Timestamp } from '../timestamps';

registerEnumType(RefreshTokenDelivery, {
  name: 'RefreshTokenDelivery',
  description: 'How a session receives its refresh token.',
  valuesConfig: {
    COOKIE: { description: 'In an HttpOnly cookie, for browsers. The token never appears in a response body.' },
    BODY: { description: 'In AuthPayload.refreshToken, for other programs, which send it back as the refreshToken argument.' },
  },
});

@ObjectType({ description: 'The result of a sign-in, registration, refresh or password change.' })
export class AuthPayload {
  @Field({ description: 'Short-lived JWT to send as "Authorization: Bearer <token>".' })
  accessToken!: string;

  @Field({ description: 'When accessToken expires; refresh before then.' })
  accessTokenExpiresAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The new refresh token, only for sessions signed in with refreshTokenDelivery: BODY.',
  })
  refreshToken!: string | null;

  @Field(() => User, { description: 'The signed-in account.' })
  user!: User;
}

@InputType({ description: 'A new account.' })
export class RegisterInput {
  @Field({ description: 'Email address; trimmed and lower-cased.' })
  email!: string;

  @Field({ description: 'At least 8 characters and at most 72 bytes in UTF-8, not a common password.' })
  password!: string;

  @Field(() => RefreshTokenDelivery, {
    nullable: true,
    defaultValue: RefreshTokenDelivery.COOKIE,
    description: 'Where the refresh token goes; COOKIE when omitted or null.',
  })
  refreshTokenDelivery?: RefreshTokenDelivery | null;
}

@InputType({ description: 'Credentials of an existing account.' })
export class LoginInput {
  @Field({ description: 'Email address of the account.' })
  email!: string;

  @Field({ description: 'Password of the account.' })
  password!: string;

  @Field(() => RefreshTokenDelivery, {
    nullable: true,
    defaultValue: RefreshTokenDelivery.COOKIE,
    description: 'Where the refresh token goes; COOKIE when omitted or null.',
  })
  refreshTokenDelivery?: RefreshTokenDelivery | null;
}

@ObjectType('Session', { description: 'A signed-in device or program of the caller.' })
export class SessionInfo {
  @Field(() => ID, { description: 'Identifier of the session, for revokeSession.' })
  id!: string;

  @Field(() => DateTimeScalar, { description: 'When the session signed in.' })
  createdAt!: Timestamp;

  @Field(() => DateTimeScalar, { description: 'When the session was last used, to within a minute.' })
  lastUsedAt!: Timestamp;

  @Field(() => String, { nullable: true, description: 'User-Agent header of the sign-in.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: 'Client IP address of the sign-in.' })
  ip!: string | null;

  @Field({ description: 'Whether this is the session of the access token of this request.' })
  current!: boolean;
}
