// Checks micro-service discovery replies against the schemas in
// tests/micro/ (written from ADR-32's field lists), for the JS and Python suites.
import { readFileSync } from 'node:fs';

import Ajv from 'ajv';

const ajv = new Ajv({ allErrors: true });
const load = (name) => ajv.compile(JSON.parse(readFileSync(new URL(`../micro/${name}.schema.json`, import.meta.url), 'utf8')));
const validators = { PING: load('ping'), INFO: load('info'), STATS: load('stats') };

/** "" when `reply` fits the schema of `verb` (PING, INFO, STATS), else why not. */
export function microSchemaErrors(verb, reply) {
  const check = validators[verb.toUpperCase()];
  return check(reply) ? '' : ajv.errorsText(check.errors);
}
