#!/usr/bin/env node
import { createProgram } from '../dist/generator/cli.js';
await createProgram().parseAsync(process.argv);
