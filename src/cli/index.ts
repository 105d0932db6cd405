#!/usr/bin/env node
import { ConfigError } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { buildCli } from './program.js';

buildCli()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof DomainError) console.error(`switchyard: ${err.message}`);
    else console.error('switchyard:', err);
    process.exit(1);
  });
