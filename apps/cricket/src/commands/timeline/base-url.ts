import { InvalidArgumentError } from 'commander';

/** Commander parser of `--base-url`: an absolute http(s) URL, possibly with a mount root (`/app/`). */
export function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError(`expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
  if (url.username || url.password)
    throw new InvalidArgumentError('credentials do not go in the URL; pass the bearer token with --auth-token');
  return value;
}
