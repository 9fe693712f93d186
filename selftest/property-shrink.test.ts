// Shrinking in the property engine: a counterexample is a function of the seed
// and the target's answers, not of the clock. A shrink candidate that fails
// otherwise than the first failing case (no answer in time, where a status was
// judged) is not taken, and shrinking tries a bounded number of candidates.
// Without a server: the property's case function plays the target.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckContext } from "../harness/check";
import { CheckFailure } from "../harness/expect";
import { createApi, newRecorder, TransportError } from "../harness/http";
import { failureKind, runProperty, SHRINK_BUDGET } from "../suites/property/engine";

const record = { phase: "check" as const, request: { method: "POST", url: "u", headers: {} }, curl: "", startedAt: "", durationMs: 0, violations: [] };
const target = { url: "http://127.0.0.1:9", headers: {}, requestTimeoutMs: 1000, streamTimeoutMs: 1000 };

function context(notes: string[]): CheckContext {
  const signal = new AbortController().signal;
  return {
    api: createApi({ target, recorder: newRecorder("check") }),
    run: { seed: 7, propertyRuns: 20, target },
    meta: { id: "PBT-900" },
    note: (t: string) => notes.push(t),
    observe: () => undefined,
    signal,
    connect: () => createApi({ target, recorder: newRecorder("check") }),
  } as unknown as CheckContext;
}

const refused = (n: number) => new CheckFailure(`${n} answered 422`, undefined, { status: { wanted: [200], got: 422 } });
const noAnswer = (n: number) => new TransportError(`${n}: no complete response within 10000 ms`, record);

async function failure(run: () => Promise<void>): Promise<Error> {
  try {
    await run();
  } catch (e) {
    return e as Error;
  }
  throw new Error("the property did not fail");
}

describe("property shrinking", () => {
  it("a candidate that fails otherwise (no answer in time) is not taken: the counterexample fails as the first case did", async () => {
    const notes: string[] = [];
    // Every value of 10 or more is refused; once one is, the target slows down and some get no answer in time.
    let slow = false;
    const e = await failure(() =>
      runProperty({
        c: context(notes),
        operation: { key: "POST /x" as never, profile: "p" },
        arbitrary: fc.integer({ min: 0, max: 100_000 }),
        show: (n) => `value ${n}`,
        run: async ({ value }) => {
          if (value < 10) return;
          if (slow && value % 3 === 0) throw noAnswer(value);
          slow = true;
          throw refused(value);
        },
      }),
    );
    expect(e).toBeInstanceOf(CheckFailure);
    expect(e.message).toMatch(/^\d+ answered 422/);
    expect(e.message).not.toMatch(/no complete response/);
    const shrunk = Number(/value (\d+)$/.exec(notes.find((n) => n.startsWith("counterexample"))!)![1]);
    expect(shrunk % 3, `the counterexample ${shrunk} is refused, not left unanswered`).not.toBe(0);
    expect(notes.find((n) => n.startsWith("shrinking:"))).toMatch(/failed otherwise than the first failing case \(judged: status 422\) and were not taken/);
  });

  it(`shrinking tries at most ${SHRINK_BUDGET} candidates, whatever the time`, async () => {
    const notes: string[] = [];
    let calls = 0;
    await failure(() =>
      runProperty({
        c: context(notes),
        operation: { key: "POST /x" as never, profile: "p" },
        arbitrary: fc.array(fc.noBias(fc.integer({ min: 0, max: 1_000_000_000 })), { minLength: 40, maxLength: 40 }),
        show: (a) => `array of ${a.length}`,
        run: async ({ value, replay }) => {
          if (!replay) calls++;
          // Fails while every element is 1000 or more: a search per element, a shrink path far longer than the budget.
          if (value.every((x) => x >= 1000)) throw refused(value.length);
        },
      }),
    );
    const cases = Number(/^(\d+) case\(s\) run/.exec(notes.find((n) => / case\(s\) run of /.test(n))!)![1]);
    expect(calls).toBe(cases + SHRINK_BUDGET);
    expect(notes.find((n) => n.startsWith("shrinking:"))).toBe(`shrinking: ${SHRINK_BUDGET} candidate(s) tried of at most ${SHRINK_BUDGET}`);
  });

  it("names a failure's kind by its cause, its status, or its transport", () => {
    expect(failureKind(refused(1))).toBe("judged: status 422");
    expect(failureKind(new CheckFailure("x", undefined, { cause: { signature: "s", title: "t" } }))).toBe("judged: s");
    expect(failureKind(noAnswer(1))).toBe("transport");
    expect(failureKind(new TypeError("x"))).toBe("error: TypeError");
  });
});
