import pgTypes from 'pg-types';
import { DateTimeScalar, timestampFromPostgres } from '../src/timestamps';

const parseWithDriver = pgTypes.getTypeParser(1184, 'text') as (text: string) => Date;

describe('timestampFromPostgres', () => {
  it.each([
    '2025-10-31 01:12:19+00',
    '2025-10-31 01:12:19.8+00',
    '2025-10-31 01:12:19.86+00',
    '2025-10-31 01:12:19.866+00',
    '2025-10-31 01:12:19.8661+00',
    '2025-10-31 01:12:19.866057+00',
    '2025-10-31 01:12:19.999999+00',
    '1970-01-01 00:00:00+00',
    '2024-02-29 23:59:59.5+00',
  ])('gives the same instant as a Date parsed by the driver for %s', (text) => {
    expect(timestampFromPostgres(text)).toBe(parseWithDriver(text).toISOString());
  });

  it('truncates fractions to milliseconds', () => {
    expect(timestampFromPostgres('2025-10-31 01:12:19.999999+00')).toBe('2025-10-31T01:12:19.999Z');
  });

  it.each(['2025-10-31 02:12:19.866057+01', '2025-10-31 06:42:19.866+05:30', '10000-01-01 00:00:00+00', '0044-03-15 12:00:00+00 BC'])(
    'falls back to the driver for %s',
    (text) => {
      expect(timestampFromPostgres(text)).toBe(parseWithDriver(text).toISOString());
    },
  );
});

describe('DateTime scalar', () => {
  it('serializes text and Dates', () => {
    expect(DateTimeScalar.serialize('2025-10-31T01:12:19.866Z')).toBe('2025-10-31T01:12:19.866Z');
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2025, 9, 31, 1, 12, 19, 866)))).toBe('2025-10-31T01:12:19.866Z');
  });

  it('parses inputs and rejects invalid ones', () => {
    expect(DateTimeScalar.parseValue('2025-10-31T01:12:19.866Z')).toEqual(new Date(Date.UTC(2025, 9, 31, 1, 12, 19, 866)));
    expect(() => DateTimeScalar.parseValue('tomorrow')).toThrow();
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow();
  });
});
