import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, parseDurationSeconds } from '../src/config';
import { renderConfigurationTable } from '../src/config-docs';

const SECRET = 'x'.repeat(32);

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4000);
    expect(config.env).toBe('production');
    expect(config.accessTokenTtlSeconds).toBe(30 * 60);
    expect(config.refreshTokenTtlSeconds).toBe(7 * 24 * 3600);
    expect(config.sessionIdleTimeoutSeconds).toBe(24 * 3600);
    expect(config.refreshReuseGraceSeconds).toBe(10);
    expect(config.bcryptCost).toBe(12);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.authSecret).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve(__dirname, '..', '..', '.data'));
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number from 0 to 65535/],
    ['PORT', '70000', /PORT: expected a whole number from 0 to 65535/],
    ['ACCESS_TOKEN_TTL', 'soon', /ACCESS_TOKEN_TTL: expected a duration/],
    ['BCRYPT_COST', '3', /BCRYPT_COST: expected a whole number from 4 to 15/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['GRAPHQL_INTROSPECTION', 'maybe', /GRAPHQL_INTROSPECTION: expected true or false/],
    ['DATABASE_URL', 'mysql://localhost/db', /DATABASE_URL: expected a URL of the form postgres:\/\//],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected a URL of the form redis:\/\//],
    ['CORS_ORIGINS', 'not-a-url', /CORS_ORIGINS: expected origins such as https:\/\/app.example.com, got "not-a-url"/],
    ['TRUST_PROXY', 'nonsense', /TRUST_PROXY: expected true, false, a number of hops/],
    ['ACCESS_TOKEN_TTL', '5s', /REFRESH_REUSE_GRACE: expected less than ACCESS_TOKEN_TTL \(got 10 s and 5 s\)/],
  ])('names %s=%s and what it accepts', (name, value, message) => {
    const problems = problemsOf({ [name]: value, BETTER_AUTH_SECRET: SECRET });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('accepts valid origins and proxy settings', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('requires a secret with DATABASE_URL', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://localhost/db' })[0]).toMatch(/BETTER_AUTH_SECRET: required when DATABASE_URL is set/);
  });

  it('rejects a short secret without showing it', () => {
    const problems = problemsOf({ BETTER_AUTH_SECRET: 'short-secret' });
    expect(problems[0]).toMatch(/at least 32 bytes, got 12/);
    expect(problems.join()).not.toContain('short-secret');
  });

  it('never shows a database password', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://user:hunter2@localhost/db', BETTER_AUTH_SECRET: SECRET });
    expect(problems.join()).not.toContain('hunter2');
  });

  it('parses durations', () => {
    expect(parseDurationSeconds('90')).toBe(90);
    expect(parseDurationSeconds('90s')).toBe(90);
    expect(parseDurationSeconds('30m')).toBe(1800);
    expect(parseDurationSeconds('24h')).toBe(86400);
    expect(parseDurationSeconds('7d')).toBe(604800);
    expect(parseDurationSeconds('7 weeks')).toBeUndefined();
  });
});

describe('README configuration table', () => {
  it('matches config.ts (run `npm run docs:config` after changing it)', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- config:start -->');
    const end = readme.indexOf('<!-- config:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start, end + '<!-- config:end -->'.length)).toBe(renderConfigurationTable());
  });
});
