import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Limits on the shape of an operation, checked before it runs. A task page of every field
 * with owners, counts and `me` in one operation has depth 5, about 60 tokens and a cost of
 * about 7,300 in graphql-armor's static cost model, so each limit leaves at least twice that
 * room. Introspection is exempt from depth and cost, so that GraphQL IDEs and code generators
 * keep working.
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 10,
  maxCost: 20_000,
};

/** Builds graphql-armor's Apollo Server plugins and validation rules for QUERY_LIMITS. */
export function createQueryLimits() {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    // Enforced by graphql-js's parser instead (see parseOptions), which fails with 400 where
    // graphql-armor's Apollo plugin fails from a hook with 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true },
    // Apollo Server's hideSchemaDetailsFromClientErrors hides suggestions instead: this plugin
    // rewrites error messages in place, which fails on graphql-jit's read-only errors.
    blockFieldSuggestion: { enabled: false },
  });
  return { ...armor.protect(), parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}
