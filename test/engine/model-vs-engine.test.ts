/**
 * The fast fault tests drive the provider host with a model of the engine (harness/engine.ts); the
 * test kit users get runs the real one. Here the same scenario goes through both, each against an
 * emulator of its own, and what each step did (operations, failures, what was recorded, what Box
 * received) must be the same: where the model drifts from the engine, this fails.
 */
import { expect } from "chai";
import * as path from "path";
import { captureProvider } from "../../harness/capture";
import { PULUMI_BIN } from "../../harness/cli-stack";
import { MiniEngine, type Step } from "../../harness/engine";
import { captureRegistrations } from "../../harness/registrations";
import { SessionTermination, type SessionTerminationArgs } from "../../provider";
import { createTestStack, startBoxEmulator, type BoxEmulator } from "../../provider/testing";

type Props = Record<string, unknown>;
const PROJECT = "model-check";
const STACK = "test";
const ROOT = path.join(__dirname, "..", "..");
const KNOWN = ["jdoe@example.com", "amy@example.com", "li@example.com"];

type Declared = Record<string, SessionTerminationArgs>;
/** One step of the scenario: a program to preview or apply, or a refresh or destroy. */
type Action = { preview: Declared } | { up: Declared } | "refresh" | "destroy";

const SCENARIO: Action[] = [
    { preview: { leavers: { userLogins: ["jdoe@example.com"], reason: "HR-1" } } },
    {
        up: {
            leavers: { userLogins: ["jdoe@example.com"], reason: "HR-1" },
            incident: { groupIds: ["42"], reason: "SEC-1" },
        },
    },
    // An addition, and a principal Box does not know: a partial failure.
    {
        up: {
            leavers: {
                userLogins: ["jdoe@example.com", "amy@example.com", "gone@example.com"],
                reason: "HR-1",
            },
            incident: { groupIds: ["42"], reason: "SEC-1" },
        },
    },
    // Still declared: the next up sends exactly that one again.
    {
        up: {
            leavers: {
                userLogins: ["jdoe@example.com", "amy@example.com", "gone@example.com"],
                reason: "HR-1",
            },
            incident: { groupIds: ["42"], reason: "SEC-1" },
        },
    },
    // Corrected: nothing left to send.
    {
        up: {
            leavers: { userLogins: ["jdoe@example.com", "amy@example.com"], reason: "HR-1" },
            incident: { groupIds: ["42"], reason: "SEC-1" },
        },
    },
    // A changed trigger replaces: everyone is cut off again.
    {
        up: {
            leavers: { userLogins: ["jdoe@example.com", "amy@example.com"], reason: "HR-1" },
            incident: { groupIds: ["42"], reason: "SEC-1", triggers: ["rotate-1"] },
        },
    },
    "refresh",
    // A check failure: nothing runs.
    { up: { leavers: { userIds: ["x"], reason: "HR-1" } } },
    "destroy",
];

/** What one action did, as far as a user can see it. */
interface Outcome {
    steps?: unknown[];
    refused?: string;
    changed?: string[];
    sent: unknown[];
    state: unknown[];
}

const program = (declared: Declared) => () => {
    for (const [name, args] of Object.entries(declared)) new SessionTermination(name, args);
};
/** Outputs without `__provider` (its text differs by how each engine captured it) or Box's message. */
const plain = (outputs: Record<string, unknown> | undefined) => {
    if (!outputs) return undefined;
    const { __provider, ...rest } = outputs;
    void __provider;
    return rest;
};
/** The reasons of a failure: the CLI prints several as Go's multierror list, the model one per line. */
const reasons = (error: string | undefined) =>
    error
        ?.replace(/^\d+ errors occurred:\n/, "")
        .split("\n")
        .map((l) => l.replace(/^\t\* /, ""));
/** Every termination Box was asked for since request `since`, with its answer. */
const terminations = (box: BoxEmulator) => box.requests.filter((r) => r.path.endsWith("/terminate_sessions"));
const sentSince = (box: BoxEmulator, since: number) =>
    terminations(box)
        .slice(since)
        .map((r) => ({ status: r.status, body: r.body }));
const byName = <T extends { name: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.name.localeCompare(b.name));

/** What both engines offer the scenario: each step's results as a user sees them, and the state after. */
interface Driver {
    preview(d: Declared): Promise<{ name: string; op: string; error?: string; outputs?: Props }[]>;
    up(d: Declared): Promise<{ name: string; op: string; error?: string; outputs?: Props }[]>;
    refresh(): Promise<string[]>;
    destroy(): Promise<{ name: string; op: string }[]>;
    state(): { name: string; outputs: Props; initErrors?: string[] }[];
}

/** Takes the scenario through one engine, against `box`, recording what each action did. */
async function runScenario(driver: Driver, box: BoxEmulator): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (const action of SCENARIO) {
        const since = terminations(box).length;
        const o: Partial<Outcome> = {};
        try {
            if (action === "refresh") o.changed = await driver.refresh();
            else if (action === "destroy")
                o.steps = byName(await driver.destroy()).map((s) => [s.name, s.op]);
            else {
                const preview = "preview" in action;
                const all = preview ? await driver.preview(action.preview) : await driver.up(action.up);
                // After a failure the real engine stops starting steps, so a resource that would stay
                // the same may or may not be reported, depending on which it reached first.
                const failed = all.some((s) => s.error);
                const steps = failed ? all.filter((s) => s.op !== "same") : all;
                o.steps = byName(steps).map((s) => [
                    s.name,
                    s.op,
                    reasons(s.error) ?? null,
                    preview ? null : plain(s.outputs),
                ]);
            }
        } catch (err) {
            o.refused = (err as Error).message;
        }
        const state = byName(driver.state()).map((r) => [r.name, plain(r.outputs), r.initErrors ?? []]);
        out.push({ ...o, sent: sentSince(box, since), state });
    }
    return out;
}

async function throughModel(box: BoxEmulator): Promise<Outcome[]> {
    const captured = await captureProvider("source");
    const host = await captured.startHost({ project: PROJECT });
    const config = { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl };
    await host.configure(config, ["box:accessToken"]);
    const engine = new MiniEngine(host, PROJECT, STACK);
    const registrations = (d: Declared) =>
        captureRegistrations(program(d), {
            project: PROJECT,
            stack: STACK,
            config,
            secretKeys: ["box:accessToken"],
        });
    const results = (steps: Step[]) => steps.map((s) => ({ ...s, error: s.error?.message }));
    try {
        return await runScenario(
            {
                preview: async (d) => results(await engine.preview(await registrations(d))),
                up: async (d) => results(await engine.up(await registrations(d))),
                refresh: () => engine.refresh(),
                destroy: () => engine.destroy(),
                state: () => [...engine.state.values()],
            },
            box,
        );
    } finally {
        await host.stop();
    }
}

async function throughEngine(box: BoxEmulator): Promise<Outcome[]> {
    const stack = await createTestStack({
        project: PROJECT,
        stack: STACK,
        cwd: ROOT,
        pulumiRoot: path.dirname(PULUMI_BIN),
        config: { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl },
        secretKeys: ["box:accessToken"],
    });
    try {
        return await runScenario(
            {
                preview: (d) => stack.preview(program(d)),
                up: (d) => stack.up(program(d)),
                refresh: () => stack.refresh(),
                destroy: () => stack.destroy(),
                state: () => stack.resources(),
            },
            box,
        );
    } finally {
        await stack.stop();
    }
}

describe("the engine model the fault tests use, against the real engine (pinned pulumi, Automation API)", function () {
    this.timeout(600_000);

    it("one scenario (create, addition, partial failure, its retry and correction, replace, refresh, check failure, destroy) has the same outcome through both", async () => {
        const boxes = [0, 1].map(() => startBoxEmulator({ directory: { userLogins: KNOWN } }));
        const [modelBox, engineBox] = await Promise.all(boxes);
        try {
            const model = await throughModel(modelBox);
            const real = await throughEngine(engineBox);
            // Request IDs and times differ per run; resources are sent side by side, in either order.
            const stable = (o: Outcome[]) =>
                o.map((x) =>
                    JSON.parse(
                        JSON.stringify({ ...x, sent: x.sent.map((b) => JSON.stringify(b)).sort() })
                            .replace(/request ID [0-9a-f]+/g, "request ID X")
                            .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
                            .replace(/"requestIds":\["[^\]]*\]/g, '"requestIds":["X"]')
                            .replace(/"terminatedAt":"[^"]+"/g, '"terminatedAt":"T"'),
                    ),
                );
            for (let i = 0; i < SCENARIO.length; i++)
                expect(stable(model)[i], `step ${i + 1}: ${JSON.stringify(SCENARIO[i])}`).to.deep.equal(
                    stable(real)[i],
                );
            // The scenario must exercise what it claims, or agreeing would prove little.
            expect(real.map((o) => o.sent.length)).to.deep.equal([0, 2, 3, 1, 0, 1, 0, 0, 0]);
            expect(JSON.stringify(real[2])).to.include("gone@example.com (404 not_found");
            expect(real[3].sent).to.deep.equal([
                { status: 404, body: { user_ids: [], user_logins: ["gone@example.com"] } },
            ]);
            expect(real[7].refused).to.include("resource 'leavers' has a problem: userIds[0]");
        } finally {
            await Promise.all([modelBox.close(), engineBox.close()]);
        }
    });
});
