import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver';
import { TaskConnectionResolver, TaskResolver } from '../tasks/task.resolver';
import { DateTimeScalar } from '../timestamps';
import { authChecker } from './auth-checker';

/** Root fields that anonymous callers may use; every other root field is @Authorized. */
export const PUBLIC_ROOT_FIELDS = ['register', 'login', 'refreshToken'];

/** Builds the executable schema from the resolver classes. Also the source of schema.graphql. */
export async function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AuthResolver, TaskResolver, TaskConnectionResolver],
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are checked by the services, which own the rules; class-validator is not used.
    validate: false,
    emitSchemaFile: false,
  });
}
