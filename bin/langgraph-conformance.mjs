#!/usr/bin/env node
// The suite is TypeScript; tsx loads it in place, so nothing needs building.
import { register } from "tsx/esm/api";

register();
await import("../scripts/cli/cli.ts");
