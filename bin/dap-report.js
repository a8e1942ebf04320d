#!/usr/bin/env node
import { createProgram } from '../dist/runtime/cli/cli.js';
await createProgram().parseAsync(process.argv);
