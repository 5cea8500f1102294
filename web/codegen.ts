import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator settings: types for every operation written with `graphql()` in
 * src/, checked against the API's schema.graphql. `npm run codegen` writes src/gql/, and
 * `npm run codegen:check` fails when those files are stale or an operation is invalid.
 */
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  // An empty match means the glob is wrong, not that the app has no operations.
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // Components read the fields of TaskFields straight from the query results.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        // The API sends DateTime as an ISO 8601 string, and the app keeps it as one.
        scalars: { DateTime: 'string' },
        enumType: 'string-literal',
        // Apollo Client adds __typename to every selection, so results always have it.
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
      },
    },
  },
};

export default config;
