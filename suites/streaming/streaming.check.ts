// The streaming profile's checks, gathered into one test file. Each topic has
// its own module (framing, semantics, join, disconnect, thread-stream); they are
// imported here so that vitest runs them as one file. A worker runs its files
// one after another, each file's checks concurrently: as separate files, the
// checks that wait on a slow run (join, resume, disconnect, 1.5-3 s each) added
// up file by file; in one file, started first, they overlap with the others
// (measured against the embedded reference server on 2 cores: the streaming
// checks spanned 14.5 s as five files, about 6 s as one).

// The checks that mostly wait come first, so that they start first.
import "./disconnect.checks";
import "./ends.checks";
import "./join.checks";
import "./carry.checks";
import "./framing.checks";
import "./semantics.checks";
import "./thread-stream.checks";
import "./order.checks";
