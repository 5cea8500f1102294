import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Compiled operations kept at most; the web app and typical clients send a few dozen distinct ones. */
const MAX_COMPILED_OPERATIONS = 1000;

/**
 * Executes operations with graphql-jit, which compiles each distinct operation into a
 * JavaScript function once and then runs it without graphql-js's per-field interpretation.
 * Apollo Server still parses, validates (with the query limits) and caches documents, and runs
 * every plugin; the compiled function only replaces execution. It is plugged in through Apollo
 * Server's gateway interface, its extension point for a custom executor.
 */
export function createJitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new Map<string, CompiledQuery>();

  const executor: GatewayExecutor = async (requestContext) => {
    if (requestContext.operation === undefined) {
      // No operation matches operationName: graphql-js reports which mistake it was, without
      // running anything, and Apollo Server responds with 400 OPERATION_RESOLUTION_FAILURE.
      return execute({ schema, document: requestContext.document, operationName: requestContext.operationName ?? requestContext.request.operationName });
    }
    const key = `${requestContext.queryHash}:${requestContext.operationName ?? ''}`;
    let query = compiled.get(key);
    if (query === undefined) {
      const result = compileQuery(schema, requestContext.document, requestContext.operationName ?? undefined);
      if (!isCompiledQuery(result)) return result as ExecutionResult;
      query = result;
      // A simple bound: past the limit the oldest entry goes, as Map keeps insertion order.
      if (compiled.size >= MAX_COMPILED_OPERATIONS) compiled.delete(compiled.keys().next().value as string);
      compiled.set(key, query);
    }
    // graphql-js coerces the variables first: graphql-jit 0.8 leaves out the defaults of input
    // object fields (TaskOrder's field and direction), which the GraphQL spec requires.
    const variables = getVariableValues(schema, requestContext.operation.variableDefinitions ?? [], requestContext.request.variables ?? {});
    if (variables.errors) {
      return { errors: variables.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })) };
    }
    return query.query(undefined, requestContext.context, variables.coerced);
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {
      compiled.clear();
    },
  };
}
