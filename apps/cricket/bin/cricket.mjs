#!/usr/bin/env node
// Entry point of the `cricket` command: loads the TypeScript sources through tsx (the packages export
// their source; only apps have an entry like this one).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
