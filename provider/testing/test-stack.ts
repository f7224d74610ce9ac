/**
 * A test kit for users' own programs: a Pulumi program that declares `SessionTermination`s, taken
 * through preview, up, refresh and destroy by the real Pulumi engine (the Automation API over the
 * `pulumi` CLI, 3.139 or later), with a file backend and a Pulumi home of its own, so nothing leaves
 * the machine and the user's own stacks are never touched. Pair it with {@link startBoxEmulator}.
 *
 * @example
 * ```ts
 * const box = await startBoxEmulator();
 * const stack = await createTestStack({
 *     config: { "box:accessToken": box.accessToken, "box:baseUrl": box.baseUrl },
 *     secretKeys: ["box:accessToken"],
 * });
 * try {
 *     await stack.preview(program);          // nothing reaches Box
 *     const steps = await stack.up(program); // what happened to each resource
 * } finally {
 *     await stack.stop();
 *     await box.close();
 * }
 * ```
 */
import * as fs from "fs";
import * as path from "path";
import type * as automation from "@pulumi/pulumi/automation";
import { EventLog, type ResourceState, type StepResult } from "./test-stack-events";
import { cliProblem, exported, findCli, isolatedEnv, stackDir } from "./test-stack-setup";

export {
    MIN_CLI_VERSION,
    type Props,
    type ResourceState,
    type StepOp,
    type StepResult,
} from "./test-stack-events";

/** How to run the stack. */
export interface TestStackOptions {
    /** Project name, as in Pulumi.yaml (default `test-project`): unqualified config keys belong to it. */
    project?: string;
    /** Stack name (default `test`). */
    stack?: string;
    /** Stack config, fully qualified (`box:accessToken`, `my-project:leavers`), values as strings. */
    config?: Record<string, string>;
    /** Which config keys are secrets (set as `pulumi config set --secret` would). */
    secretKeys?: string[];
    /**
     * The project directory: it must have `node_modules` with `@pulumi/pulumi` and this package
     * (default: the current directory). The stack's files go under its `node_modules/.cache`.
     */
    cwd?: string;
    /**
     * Environment for the CLI and the provider it starts, e.g. `BOX_*` variables; `undefined` unsets
     * one. Nothing else of this process's `BOX_*` or `PULUMI_OPTION_*` variables reaches them.
     */
    env?: Record<string, string | undefined>;
    /**
     * The Pulumi installation to run, as the Automation API takes it: a directory holding
     * `bin/pulumi` (`~/.pulumi` for Pulumi's installer). Default: the `pulumi` on PATH. Either must
     * be {@link MIN_CLI_VERSION} or later.
     */
    pulumiRoot?: string;
    /**
     * How long one command (preview, up, refresh, destroy) may run before it is cancelled (default 10
     * minutes). Cancelling lets the provider's request in flight finish, so it can take a little
     * longer; keep it below your test framework's timeout so a hang fails the test, not the run.
     */
    timeoutMs?: number;
}

/**
 * A stack of its own, driven step by step through the real engine. Commands run one at a time, in
 * the order they were called (the engine locks a stack, and each command runs its own program).
 */
export interface TestStack {
    /** `pulumi preview`: Check and Diff only; Box is never called. Throws on a check failure. */
    preview(program: () => unknown): Promise<StepResult[]>;
    /**
     * `pulumi up`: a failed resource is reported in its result and the others still run. Throws
     * when the deployment fails for another reason (a check failure, a duplicate name, the program).
     */
    up(program: () => unknown): Promise<StepResult[]>;
    /** `pulumi refresh`: reads every resource; returns the URNs whose ID or outputs changed. */
    refresh(): Promise<string[]>;
    /** `pulumi destroy`: deletes every resource in state. */
    destroy(): Promise<StepResult[]>;
    /** The resources in state after the last command, as `pulumi stack export` held them. */
    resources(): ResourceState[];
    /** Everything the CLI printed so far, stdout and stderr (the provider's retry lines and warnings among it). */
    output(): string;
    /**
     * Cancels a command still running (as Ctrl-C would), waits for it, and removes the stack's
     * files; later commands fail. Call it in `after`: a stack never stopped leaves its files (state,
     * config, secrets under a fixed passphrase) in `node_modules/.cache`.
     */
    stop(): Promise<void>;
}

/**
 * Runs the program and waits for its registrations, failing if any of them failed. Pulumi's
 * Automation API checks such errors (a rejected `Output` given as an input) only after it has told
 * the engine the program finished, and the engine then deletes what was not registered; failing
 * here instead makes `up` stop as `pulumi up` does, deleting nothing.
 */
async function runProgram(program: () => unknown): Promise<void> {
    const errors: unknown[] = [];
    const record = (err: unknown) => errors.push(err);
    process.on("unhandledRejection", record);
    process.on("uncaughtException", record);
    try {
        await program();
        const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
        await settings.waitForRPCs?.();
    } finally {
        process.off("unhandledRejection", record);
        process.off("uncaughtException", record);
    }
    if (errors.length) throw errors[0];
}

/**
 * Creates a stack with empty state in a backend of its own and sets its config. Fails with what to
 * install when no `pulumi` of {@link MIN_CLI_VERSION} or later is found.
 */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
    // Loaded here, not at the top: the emulator alone must not need @pulumi/pulumi's automation.
    const auto = await import("@pulumi/pulumi/automation");
    const projectName = options.project ?? "test-project";
    const stackName = options.stack ?? "test";
    const cwd = path.resolve(options.cwd ?? process.cwd());
    const pulumiCommand = await findCli(auto, options.pulumiRoot);
    const dir = stackDir(cwd);
    const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
    const env = isolatedEnv(dir, pulumiCommand, options.env ?? {});
    fs.mkdirSync(path.join(dir, "backend"));
    let current: () => unknown = () => undefined;
    let stack: automation.Stack;
    try {
        stack = await auto.LocalWorkspace.createStack(
            { stackName, projectName, program: () => runProgram(current) },
            {
                workDir: dir,
                pulumiHome: path.join(dir, "home"),
                pulumiCommand,
                envVars: env,
                secretsProvider: "passphrase",
                projectSettings: {
                    name: projectName,
                    runtime: "nodejs",
                    backend: { url: env.PULUMI_BACKEND_URL },
                },
            },
        );
        const secret = new Set(options.secretKeys ?? []);
        for (const key of secret)
            if (!(key in (options.config ?? {})))
                throw new Error(`createTestStack: secretKeys names ${key}, which config does not set`);
        await stack.setAllConfig(
            Object.fromEntries(
                Object.entries(options.config ?? {}).map(([k, value]) => [
                    k,
                    { value, secret: secret.has(k) },
                ]),
            ),
        );
    } catch (err) {
        removeDir();
        throw new Error(`createTestStack could not set up the stack: ${cliProblem(err)}`, { cause: err });
    }
    let state: ResourceState[] = [];
    let printed = "";
    const timeoutMs = options.timeoutMs ?? 600_000;
    // One command at a time, in call order: the engine locks the stack, and the program is per command.
    let queue: Promise<unknown> = Promise.resolve();
    const stopping = new AbortController();
    const run = (
        name: string,
        program: (() => unknown) | undefined,
        command: (opts: object) => Promise<unknown>,
    ) => {
        const next = queue.then(async () => {
            if (stopping.signal.aborted) throw new Error(`pulumi ${name}: this test stack was stopped`);
            if (program) current = program;
            const log = new EventLog();
            const timeout = AbortSignal.timeout(timeoutMs);
            const failure = await command({
                onEvent: (e: automation.EngineEvent) => log.add(e),
                onOutput: (s: string) => (printed += s),
                onError: (s: string) => (printed += s),
                color: "never",
                signal: AbortSignal.any([timeout, stopping.signal]),
            }).then(
                () => undefined,
                (err: Error) => err,
            );
            if (timeout.aborted)
                throw new Error(
                    `pulumi ${name} did not finish within timeoutMs (${timeoutMs} ms) and was cancelled, as Ctrl-C cancels it`,
                );
            if (stopping.signal.aborted) throw new Error(`pulumi ${name}: this test stack was stopped`);
            state = await exported(stack);
            if (failure) log.throwUnlessPerResource(failure, cliProblem(failure));
            return log;
        });
        queue = next.catch(() => undefined);
        return next;
    };
    const steps = (log: EventLog) => log.steps(new Map(state.map((r) => [r.urn, r])));
    return {
        preview: async (program) => steps(await run("preview", program, (o) => stack.preview(o))),
        up: async (program) => steps(await run("up", program, (o) => stack.up(o))),
        refresh: async () => {
            const outputsOf = (r: ResourceState) => JSON.stringify([r.id, r.outputs]);
            const old = new Map(state.map((r) => [r.urn, outputsOf(r)]));
            await run("refresh", undefined, (o) => stack.refresh(o));
            return state.filter((r) => old.get(r.urn) !== outputsOf(r)).map((r) => r.urn);
        },
        destroy: async () => steps(await run("destroy", undefined, (o) => stack.destroy(o))),
        resources: () => state,
        output: () => printed,
        stop: async () => {
            stopping.abort();
            await queue;
            removeDir();
        },
    };
}
