import { describeEnvironment } from './config';

/** Renders the README's table of environment variables, between its marker comments. */
export function renderConfigurationTable(): string {
  const rows = describeEnvironment().map(({ name, defaultValue, description }) => {
    let defaultText = `\`${defaultValue}\``;
    if (defaultValue === undefined) defaultText = '(unset)';
    else if (defaultValue === '') defaultText = '(empty)';
    return `| \`${name}\` | ${defaultText} | ${description.replace(/\|/g, '\\|')} |`;
  });
  return ['<!-- config:start -->', '| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows, '<!-- config:end -->'].join('\n');
}
