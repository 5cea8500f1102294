import { lexicographicSortSchema, printSchema } from 'graphql';
import { createSchema } from './schema';

export const SCHEMA_FILE_HEADER = '# Generated from the resolvers by `npm run schema`; do not edit by hand.\n\n';

/** Prints the schema as committed in schema.graphql: sorted, so that reordering code does not change the file. */
export async function printSchemaFile(): Promise<string> {
  return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(await createSchema())) + '\n';
}
