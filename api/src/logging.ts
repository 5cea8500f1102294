import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * Paths that pino replaces with "[redacted]" wherever they appear in a log line, so that a
 * secret logged by mistake never reaches the output.
 */
const REDACTED_PATHS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'passwordHash',
  'secret',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.passwordHash',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'variables',
  '*.variables',
];

/**
 * Creates the process's root logger: JSON in production, readable lines in development.
 * `destination` replaces standard output, for tests that read the log lines.
 */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'todo-api' },
  };
  if (destination) return pino(options, destination);
  if (config.env === 'development') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l' } } });
  }
  return pino(options);
}
