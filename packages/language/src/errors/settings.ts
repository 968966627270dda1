import { readFile } from 'node:fs/promises';
import { ConfigError } from './app-error';

/**
 * Loads a JSON settings file. The two ways it can fail are wrapped in one ConfigError each,
 * with the original error as `cause`: the caller gets a sentence, the log gets the chain.
 */
export async function loadSettings(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the settings file ${file}`, err);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`the settings file ${file} is not valid JSON`, err);
  }
}
