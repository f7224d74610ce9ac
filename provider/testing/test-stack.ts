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
import {
    EventLog,
    MIN_CLI_VERSION,
    atLeast,
    maskSecrets,
    type Props,
    type StepOp,
} from "./test-stack-events";

export { MIN_CLI_VERSION } from "./test-stack-events";

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
    /** Extra environment for the CLI and the provider it starts, e.g. `BOX_*` variables. */
    env?: Record<string, string | undefined>;
    /**
     * The Pulumi installation to run, as the Automation API takes it: a directory holding
     * `bin/pulumi` (`~/.pulumi` for Pulumi's installer). Default: the `pulumi` on PATH. Either must
     * be {@link MIN_CLI_VERSION} or later.
     */
    pulumiRoot?: string;
    /** How long one command (preview, up, refresh, destroy) may run before it is cancelled (default 10 minutes). */
    timeoutMs?: number;
}

/** What a step did to one resource, as `pulumi up` reported it. */
export interface StepResult {
    /** Logical name. */
    name: string;
    /** URN. */
    urn: string;
    /** `create`, `update`, `replace`, `same` or `delete`. */
    op: StepOp;
    /** The checked inputs the engine sent to the provider (create, update, replace). */
    inputs?: Props;
    /**
     * Outputs after the step, when it ran (after a partial failure: what the engine recorded).
     * A secret reads `"[secret]"`, as the CLI shows it.
     */
    outputs?: Props;
    /** The failure as `pulumi up` showed it on the resource: for a partially created one, only its reasons. */
    error?: string;
    /** True when the resource failed but the engine recorded a partial result (its init errors). */
    partial: boolean;
}

/** A resource as `pulumi stack export` holds it (secrets read `"[secret]"`). */
export interface ResourceState {
    /** The resource's URN. */
    urn: string;
    /** Logical name. */
    name: string;
    /** Provider-assigned ID. */
    id: string;
    /** Inputs as recorded (with `__provider`). */
    inputs: Props;
    /** Outputs as recorded (with `__provider`). */
    outputs: Props;
    /** Reasons of a partial failure, until a later update or refresh succeeds. */
    initErrors?: string[];
}

/** A stack of its own, driven step by step through the real engine. */
export interface TestStack {
    /** `pulumi preview`: Check and Diff only; Box is never called. Throws on a check failure. */
    preview(program: () => unknown): Promise<StepResult[]>;
    /**
     * `pulumi up`: a failed resource is reported in its result and the others still run. Throws
     * when the deployment fails for another reason (a check failure, a duplicate name, the program).
     */
    up(program: () => unknown): Promise<StepResult[]>;
    /** `pulumi refresh`: reads every resource; returns the URNs whose recorded state changed. */
    refresh(): Promise<string[]>;
    /** `pulumi destroy`: deletes every resource in state. */
    destroy(): Promise<StepResult[]>;
    /** The resources in state after the last command, as `pulumi stack export` held them. */
    resources(): ResourceState[];
    /** Everything the CLI printed (the provider's retry lines and warnings among it), for assertions. */
    output(): string;
    /** Removes the stack's backend and Pulumi home. */
    stop(): Promise<void>;
}

/** The stack's resources from `pulumi stack export`, without the stack and provider resources. */
async function exported(stack: automation.Stack): Promise<ResourceState[]> {
    const deployment = (await stack.exportStack()).deployment as { resources?: Props[] };
    return (deployment.resources ?? [])
        .filter((r) => !String(r.type).startsWith("pulumi:"))
        .map((r) => ({
            urn: String(r.urn),
            name: String(r.urn).split("::").pop()!,
            id: String(r.id ?? ""),
            inputs: maskSecrets(r.inputs ?? {}) as Props,
            outputs: maskSecrets(r.outputs ?? {}) as Props,
            initErrors: r.initErrors as string[] | undefined,
        }));
}

/** The `pulumi` to run, refused with what to install when missing or older than the floor. */
async function findCli(auto: typeof automation, root: string | undefined): Promise<automation.PulumiCommand> {
    const where = root ? path.resolve(root, "bin", "pulumi") : "the pulumi on PATH";
    const install = "install it (https://www.pulumi.com/docs/install/) or give createTestStack's pulumiRoot";
    const cli = await auto.PulumiCommand.get({
        ...(root ? { root: path.resolve(root) } : {}),
        skipVersionCheck: true,
    }).catch((err: Error) => {
        throw new Error(
            `createTestStack needs the pulumi CLI ${MIN_CLI_VERSION} or later; ${where} did not run (${err.message.split("\n")[0]}): ${install}`,
        );
    });
    if (!cli.version || !atLeast([cli.version.major, cli.version.minor, cli.version.patch]))
        throw new Error(
            `createTestStack needs the pulumi CLI ${MIN_CLI_VERSION} or later; ${where} is ${cli.version?.version ?? "of unknown version"}: ${install}`,
        );
    return cli;
}

/** Where the stack's files go: under the project's node_modules, so its provider resolves from there. */
function stackDir(cwd: string): string {
    if (!fs.existsSync(path.join(cwd, "node_modules", "@pulumi", "pulumi")))
        throw new Error(
            `createTestStack: ${cwd} has no node_modules/@pulumi/pulumi; run it from the project directory ` +
                "(or give `cwd`) after `npm install`",
        );
    const cache = path.join(cwd, "node_modules", ".cache");
    fs.mkdirSync(cache, { recursive: true });
    return fs.mkdtempSync(path.join(cache, "pulumi-box-test-stack-"));
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
    const env: Record<string, string> = {
        PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: "test-stack",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    // The CLI looks for the dynamic provider's host (pulumi-resource-pulumi-nodejs) on PATH.
    if (path.isAbsolute(pulumiCommand.command))
        env.PATH = `${path.dirname(pulumiCommand.command)}${path.delimiter}${process.env.PATH ?? ""}`;
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
    fs.mkdirSync(path.join(dir, "backend"));
    let current: () => unknown = () => undefined;
    const stack = await auto.LocalWorkspace.createStack(
        { stackName, projectName, program: async () => void (await current()) },
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
    ).catch((err: Error) => {
        removeDir();
        throw err;
    });
    const secret = new Set(options.secretKeys ?? []);
    await stack.setAllConfig(
        Object.fromEntries(
            Object.entries(options.config ?? {}).map(([k, value]) => [k, { value, secret: secret.has(k) }]),
        ),
    );
    let state: ResourceState[] = [];
    let printed = "";
    const timeoutMs = options.timeoutMs ?? 600_000;
    const run = async (command: (log: EventLog, opts: object) => Promise<unknown>): Promise<EventLog> => {
        const log = new EventLog();
        const opts = {
            onEvent: (e: automation.EngineEvent) => log.add(e),
            onOutput: (s: string) => (printed += s),
            color: "never",
            signal: AbortSignal.timeout(timeoutMs),
        };
        const failure = await command(log, opts).then(
            () => undefined,
            (err: Error) => err,
        );
        state = await exported(stack);
        if (failure) log.throwUnlessPerResource(failure);
        return log;
    };
    const steps = (log: EventLog) => log.steps(new Map(state.map((r) => [r.urn, r])));
    return {
        preview: async (program) => {
            current = program;
            return steps(await run((_, opts) => stack.preview(opts)));
        },
        up: async (program) => {
            current = program;
            return steps(await run((_, opts) => stack.up(opts)));
        },
        refresh: async () => {
            const old = new Map(state.map((r) => [r.urn, JSON.stringify({ ...r, initErrors: undefined })]));
            await run((_, opts) => stack.refresh(opts));
            return state
                .filter((r) => old.get(r.urn) !== JSON.stringify({ ...r, initErrors: undefined }))
                .map((r) => r.urn);
        },
        destroy: async () => steps(await run((_, opts) => stack.destroy(opts))),
        resources: () => state,
        output: () => printed,
        stop: async () => removeDir(),
    };
}
