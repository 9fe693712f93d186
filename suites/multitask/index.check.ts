// The checks of multitask and run-lifecycle semantics, one module per part
// (`*.checks.ts`), gathered into one test file on purpose.
//
// These checks spend their time waiting for runs, not computing. vitest runs the
// conformance project's files one after another on a machine with few cores
// (maxWorkers defaults to cores − 1: one on a 2-core machine) and at most
// maxConcurrency (8) checks of one file at a time. As seven files, the folder
// took 47 s against the embedded reference server; as one, 23 s, with the same
// outcomes: eight checks wait together instead of a handful per file.

import "./strategies.checks";
import "./races.checks";
import "./cancel.checks";
import "./thread-status.checks";
import "./scheduling.checks";
import "./interrupts.checks";
import "./webhooks.checks";
