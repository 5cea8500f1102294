import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Server } from 'node:http';
import type { RequestContext } from '../auth/context';
import type { Config } from '../config';
import { AppError, ClientGoneError, ErrorCode } from '../errors';
import { createJitGateway } from './jit-executor';
import { createQueryLimits } from './query-limits';

/** Codes that GraphQL and Apollo Server give to errors in the request itself, which are safe to show. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Checks whether an error may reach the client unchanged. Any other error is an unexpected failure. */
export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof AppError || original instanceof ClientGoneError) return true;
  if (!(error instanceof GraphQLError)) return false;
  // An error thrown inside a resolver has a path; one found while parsing or validating the request has none.
  if (error.path !== undefined && !(original instanceof GraphQLError)) return false;
  const code = (original instanceof GraphQLError ? original : error).extensions?.code;
  return typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || Object.values(ErrorCode).includes(code as ErrorCode));
}

const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * Logs every unexpected error with its stack and the request id (the client sees only
 * INTERNAL_SERVER_ERROR), logs rate-limit hits as events, and leaves a summary of the
 * operation for the request log line.
 */
const operationLogging: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue, operationName }) {
        for (const error of errors) {
          const original = unwrapResolverError(error);
          if (original instanceof AppError && original.code === ErrorCode.RateLimited) {
            contextValue.log.warn({ event: 'rate_limited', path: error.path, operationName }, 'request rate limited');
          }
          if (original instanceof ClientGoneError) {
            contextValue.log.info({ event: 'client_gone', path: error.path, operationName }, 'work skipped: the client closed the connection');
          }
          if (isExpectedError(error)) continue;
          contextValue.log.error({ err: original, path: error.path, operationName }, 'unexpected error in a GraphQL request');
        }
      },
      async willSendResponse({ contextValue, response, operationName }) {
        const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
        const codes = new Set((result?.errors ?? []).map((error) => String(error.extensions?.code ?? ErrorCode.InternalServerError)));
        // Apollo Server hands plugins a shallow copy of the context, so this writes into the shared holder.
        contextValue.completion.operation = {
          operationName: operationName ?? null,
          userId: contextValue.resolvedViewer()?.user.id,
          outcome: codes.size === 0 ? 'ok' : [...codes].join(','),
        };
      },
    };
  },
};

export function createApolloServer(options: { schema: GraphQLSchema; config: Config; httpServer: Server }): ApolloServer<RequestContext> {
  const development = options.config.env === 'development';
  const limits = createQueryLimits();
  return new ApolloServer<RequestContext>({
    gateway: createJitGateway(options.schema),
    introspection: options.config.introspection,
    csrfPrevention: true,
    // main.ts handles SIGINT and SIGTERM, stopping Apollo Server before the database.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: development,
    // "Did you mean …" suggestions would reveal the schema's names even with introspection off.
    hideSchemaDetailsFromClientErrors: !development,
    // Apollo Server pretty-prints responses by default, which costs time on every request.
    stringifyResult: (result) => JSON.stringify(result),
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      if (isExpectedError(error) || development) return formatted;
      return {
        message: INTERNAL_ERROR_MESSAGE,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.InternalServerError },
      };
    },
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...(limits.plugins as ApolloServerPlugin<RequestContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // The API sets no cache hints, and the default cache-control plugin wraps every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      operationLogging,
    ],
  });
}
