import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import pgTypes from 'pg-types';

/**
 * An instant as RFC 3339 text in UTC with milliseconds, such as `2025-10-31T01:12:19.866Z`:
 * how services receive `timestamptz` columns from PostgreSQL and how responses show them.
 * Keeping them as text, rather than Date objects parsed from PostgreSQL's text only to be
 * formatted again for JSON, was the largest single saving per tasks page in the benchmark.
 */
export type Timestamp = string;

const TIMESTAMPTZ_OID = 1184;
const parseWithDriver = pgTypes.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number;

/**
 * Turns PostgreSQL's text form of a `timestamptz` into a Timestamp. The API's connections use
 * the UTC time zone, so the text is `2025-10-31 01:12:19.866057+00` with zero to six fraction
 * digits. The fraction is cut to milliseconds, as a JavaScript Date would do. Anything else
 * (another zone, years past 9999, BC dates) goes through the driver's own parser.
 */
export function timestampFromPostgres(text: string): Timestamp {
  if (text.length >= 22 && text.length <= 29 && text.charCodeAt(10) === 32 && text.endsWith('+00') && text.charCodeAt(4) === 45) {
    const fraction = text.slice(19, -3);
    const millis = fraction === '' ? '000' : `${fraction.slice(1)}00`.slice(0, 3);
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
  }
  const parsed = parseWithDriver(text);
  return parsed instanceof Date ? parsed.toISOString() : text;
}

/** Type parsers of the API's SQL layer: pg's defaults, except Timestamp text for `timestamptz`. */
export const SQL_TYPE_PARSERS = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === TIMESTAMPTZ_OID && format !== 'binary') return timestampFromPostgres;
    return pgTypes.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/**
 * The DateTime scalar. Responses get RFC 3339 text: a Timestamp as it is, or a Date formatted.
 * Inputs are checked and parsed to Date by graphql-scalars' DateTime.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    // NOTE: text is passed through unchecked, so a resolver must return a Timestamp or a Date, never other text.
    if (typeof value === 'string') return value;
    return (DateTimeResolver.serialize(value) as Date).toISOString();
  },
});
