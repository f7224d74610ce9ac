/**
 * A test kit for users' own programs: run a Pulumi program that declares `SessionTermination`s
 * through preview, up, refresh and destroy inside Pulumi's real provider host, without the Pulumi CLI,
 * keeping state between steps as the engine does (partial failures included).
 *
 * The program runs under `pulumi.runtime.setMocks` to collect its registrations (with the exact
 * `__provider` Pulumi would store); those go to a provider host started in the project's directory,
 * sequenced by a model of the engine (engine.ts). Pair it with {@link startBoxEmulator} for a Box.
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
import { InitError, MiniEngine, type ResourceState, type Step } from "./engine";
import { ProviderHost } from "./host";
import { captureRegistrations } from "./registrations";

/** How to run the stack. */
export interface TestStackOptions {
    /** Project name, as in Pulumi.yaml (default `test-project`): unqualified config keys belong to it. */
    project?: string;
    /** Stack name (default `test`). */
    stack?: string;
    /** Stack config, fully qualified (`box:accessToken`, `my-project:leavers`), values as strings. */
    config?: Record<string, string>;
    /** Which config keys are secrets (wrapped as the engine wraps them). */
    secretKeys?: string[];
    /** The project directory: where `@pulumi/pulumi` and this package resolve (default: the current one). */
    cwd?: string;
    /** Extra environment for the provider host, e.g. `BOX_*` variables. */
    env?: Record<string, string | undefined>;
    /** How long one provider call may go unanswered before the step fails (default 5 minutes). */
    callTimeoutMs?: number;
}

/** What a step did to one resource, as `pulumi up` would report it. */
export interface StepResult {
    /** Logical name. */
    name: string;
    /** URN. */
    urn: string;
    /** `create`, `update`, `replace`, `same` or `delete`. */
    op: Step["op"];
    /** The checked inputs sent to the provider (create, update, replace). */
    inputs?: Record<string, unknown>;
    /** Outputs after the step, when it ran (also after a partial failure: what was recorded). */
    outputs?: Record<string, unknown>;
    /** The failure as `pulumi up` shows it: for a partially created resource, only its reasons. */
    error?: string;
    /** True when the provider reported a partial result that the engine recorded. */
    partial: boolean;
}

/** A stack whose state lives in memory, driven step by step. */
export interface TestStack {
    /** `pulumi preview`: Check and Diff only; Box is never called. Throws on a check failure. */
    preview(program: () => unknown): Promise<StepResult[]>;
    /** `pulumi up`: runs the plan; a failed resource is reported in its result, the rest still run. */
    up(program: () => unknown): Promise<StepResult[]>;
    /** `pulumi refresh`: reads every resource; returns the URNs whose state changed. */
    refresh(): Promise<string[]>;
    /** `pulumi destroy`: deletes every resource in state. */
    destroy(): Promise<StepResult[]>;
    /** The resources in state now, with outputs and any init errors of a partial failure. */
    resources(): ResourceState[];
    /** Everything the provider host printed (retry lines, warnings), for assertions. */
    hostOutput(): string;
    /** Stops the provider host. */
    stop(): Promise<void>;
}

function toResult(step: Step): StepResult {
    return {
        name: step.name,
        urn: step.urn,
        op: step.op,
        inputs: step.inputs,
        outputs: step.outputs,
        error: step.error?.message,
        partial: step.error instanceof InitError,
    };
}

/** Starts a provider host for the project and returns a stack with empty state. */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
    const project = options.project ?? "test-project";
    const stackName = options.stack ?? "test";
    const host = await ProviderHost.start({
        cwd: options.cwd,
        env: options.env,
        project,
        callTimeoutMs: options.callTimeoutMs,
    });
    try {
        await host.configure(options.config ?? {}, options.secretKeys ?? []);
    } catch (err) {
        await host.stop();
        throw err;
    }
    const engine = new MiniEngine(host, project, stackName);
    const registrationsOf = (program: () => unknown) =>
        captureRegistrations(program, {
            project,
            stack: stackName,
            config: options.config,
            secretKeys: options.secretKeys,
        });
    return {
        preview: async (program) => (await engine.preview(await registrationsOf(program))).map(toResult),
        up: async (program) => (await engine.up(await registrationsOf(program))).map(toResult),
        refresh: () => engine.refresh(),
        destroy: async () => (await engine.destroy()).map(toResult),
        resources: () => [...engine.state.values()],
        hostOutput: () => host.output,
        stop: () => host.stop(),
    };
}
