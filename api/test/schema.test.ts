import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { printSchemaFile } from '../src/graphql/print-schema';
import { createSchema, PUBLIC_ROOT_FIELDS } from '../src/graphql/schema';
import { errorCode, gql } from './client';
import { startTestServer, type TestServer } from './test-server';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

let server: TestServer;
let schema: GraphQLSchema;

beforeAll(async () => {
  server = await startTestServer();
  schema = await createSchema();
});

afterAll(async () => {
  await server.close();
});

describe('schema descriptions', () => {
  it('describe every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('schema.graphql', () => {
  it('matches the schema the resolvers build (run `npm run schema` after changing them)', async () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printSchemaFile());
  });
});

/** Builds a literal that passes validation for an argument type, so that only authorization can fail. */
function sampleLiteral(type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields())
      .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
      .map((field) => `${field.name}: ${sampleLiteral(field.type)}`);
    return `{ ${fields.join(', ')} }`;
  }
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isScalarType(named)) {
    if (named.name === 'Boolean') return 'true';
    if (named.name === 'Int') return '1';
    if (named.name === 'DateTime') return '"2030-01-01T00:00:00Z"';
    if (named.name === 'ID') return '"00000000-0000-4000-8000-000000000000"';
    return '"sample"';
  }
  throw new Error(`no sample for ${String(named)}`);
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const args = field.args
    .filter((arg: GraphQLArgument) => isNonNullType(arg.type))
    .map((arg) => `${arg.name}: ${sampleLiteral(arg.type)}`);
  const argumentList = args.length > 0 ? `(${args.join(', ')})` : '';
  const selection = isScalarType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${argumentList}${selection} }`;
}

describe('authorization', () => {
  it('names only register, login and refreshToken as public', () => {
    expect([...PUBLIC_ROOT_FIELDS].sort()).toEqual(['login', 'refreshToken', 'register']);
  });

  it('rejects anonymous callers on every other root field', async () => {
    const roots = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const;
    const checked: string[] = [];
    for (const [kind, type] of roots) {
      for (const field of Object.values(type.getFields())) {
        if (PUBLIC_ROOT_FIELDS.includes(field.name)) continue;
        const response = await gql(server, operationFor(kind, field));
        expect({ field: field.name, code: errorCode(response) }).toEqual({ field: field.name, code: 'UNAUTHENTICATED' });
        expect(response.data?.[field.name] ?? null).toBeNull();
        checked.push(field.name);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(15);
  });
});

describe('migrations', () => {
  it('create exactly the schema the entities describe', async () => {
    const pending = await server.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
