import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook";

let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(() => hook.close());

describe("the webhook receiver", () => {
  it("listens on a free loopback port and records what is posted", async () => {
    expect(hook.url("/run-1")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/run-1$/);
    await request(hook.server).post("/run-1").send({ run_id: "r1", status: "success" }).expect(200);
    const got = await hook.waitFor((d) => d.path === "/run-1", { timeoutMs: 1_000 });
    expect(got?.[0]?.json).toEqual({ run_id: "r1", status: "success" });
    expect(got?.[0]?.method).toBe("POST");
  });

  it("waits for deliveries that arrive later, and gives up at its time limit", async () => {
    const waiting = hook.waitFor((d) => d.path === "/later", { count: 2, timeoutMs: 3_000 });
    setTimeout(
      () =>
        void request(hook.server)
          .post("/later")
          .send("first")
          .then(() => request(hook.server).post("/later").send("second")),
      50,
    );
    expect((await waiting)?.map((d) => d.body)).toEqual(["first", "second"]);
    const t0 = performance.now();
    expect(await hook.waitFor((d) => d.path === "/never", { timeoutMs: 200 })).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("keeps a body that is not JSON as text", async () => {
    await request(hook.server).post("/text").set("content-type", "text/plain").send("not json").expect(200);
    const got = await hook.waitFor((d) => d.path === "/text", { timeoutMs: 1_000 });
    expect(got?.[0]?.json).toBeUndefined();
    expect(got?.[0]?.body).toBe("not json");
  });
});

describe("where the receiver listens and what the target is told", () => {
  it("loopback for a target on this machine, the gateway for a local container, --webhook-host first, nothing for a remote target", async () => {
    const { webhookAddress } = await import("../scripts/cli/run");
    expect(webhookAddress("http://127.0.0.1:8123")?.webhook).toMatchObject({ listen: "127.0.0.1", advertise: "127.0.0.1" });
    expect(webhookAddress("http://localhost:8123")?.webhook.advertise).toBe("127.0.0.1");
    expect(webhookAddress("http://127.0.0.1:32768", "172.17.0.1")?.webhook).toMatchObject({ listen: "172.17.0.1", advertise: "172.17.0.1" });
    expect(webhookAddress("https://api.example.com")).toBeUndefined();
    expect(webhookAddress("https://api.example.com", undefined, "ci-runner.internal")?.webhook).toMatchObject({ listen: "0.0.0.0", advertise: "ci-runner.internal" });
  });

  it("hands out URLs naming the advertised address", async () => {
    const r = await startWebhookReceiver("127.0.0.1", "host.example");
    try {
      expect(r.url("/x")).toMatch(/^http:\/\/host\.example:\d+\/x$/);
    } finally {
      await r.close();
    }
  });
});
