/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and returns what it registered: type token,
 * name and inputs, including the serialized `__provider` text that the real engine would store and
 * hand to the provider host. This is the first half of driving a provider the way `pulumi up` does.
 */
import * as pulumi from "@pulumi/pulumi";

/** One resource registration, as the engine would receive it. */
export interface Registration {
    /** Type token, e.g. `pulumi-nodejs:dynamic/box:SessionTermination`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Inputs after Pulumi resolved them, `__provider` included. */
    inputs: Record<string, unknown>;
}

/** Where and how to run the program. */
export interface ProgramOptions {
    /** Project name, as in Pulumi.yaml. */
    project?: string;
    /** Stack name. */
    stack?: string;
    /** Stack config, fully qualified keys (`box:accessToken`). */
    config?: Record<string, string>;
    /** Which config keys are secrets. */
    secretKeys?: string[];
}

/** Runs `program` under mocks and returns its registrations in order. */
export async function captureRegistrations(
    program: () => unknown,
    options: ProgramOptions = {},
): Promise<Registration[]> {
    const registered: Registration[] = [];
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                registered.push({
                    type: args.type,
                    name: args.name,
                    inputs: JSON.parse(JSON.stringify(args.inputs)),
                });
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return args.inputs;
            },
        },
        options.project ?? "box-demo",
        options.stack ?? "dev",
        false,
    );
    await program();
    // Registrations (and the provider serialization they wait on) finish asynchronously.
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
    return registered;
}
