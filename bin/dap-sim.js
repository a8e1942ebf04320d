#!/usr/bin/env node
import { createProgram } from '../dist/simulator/cli.js';
await createProgram().parseAsync(process.argv);
